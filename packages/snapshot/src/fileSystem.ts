/**
 * The file-system seam: every file operation the file store performs goes through one of these
 * methods, so tests can inject ENOSPC, EACCES or a crash at the N-th call. Errors must carry the
 * errno string in `code`, as Node's do. The default, {@link nodeFileSystem}, wraps `node:fs`.
 */
import * as fs from 'node:fs';

export interface FileSystemSeam {
  /** Opens a file (or, with `'r'`, a directory for `fsync`) and returns a descriptor. */
  open(path: string, flags: 'r' | 'w' | 'wx'): Promise<number>;
  /** Writes `chunks` back to back at `position`; resolves with the bytes written (may be short). */
  writev(fd: number, chunks: readonly ArrayBufferView[], position: number): Promise<number>;
  /** Reads into `into` from `position`; resolves with the bytes read (short at end of file). */
  read(fd: number, into: Uint8Array, position: number): Promise<number>;
  fsync(fd: number): Promise<void>;
  close(fd: number): Promise<void>;
  /** Size of an open file. */
  size(fd: number): Promise<number>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Names in a directory (not paths). */
  readdir(path: string): Promise<string[]>;
  /** Creates a directory and its parents; no error if it exists. */
  mkdir(path: string): Promise<void>;
}

const settle =
  <T>(resolve: (value: T) => void, reject: (error: Error) => void) =>
  (error: Error | null, value: T): void => {
    if (error) reject(error);
    else resolve(value);
  };

/** The seam over `node:fs` callbacks (cheaper per call than `fs/promises` file handles). */
export const nodeFileSystem: FileSystemSeam = {
  open: (path, flags) => new Promise((resolve, reject) => fs.open(path, flags, 0o644, settle(resolve, reject))),
  writev: (fd, chunks, position) => new Promise((resolve, reject) => fs.writev(fd, chunks as NodeJS.ArrayBufferView[], position, settle(resolve, reject))),
  read: (fd, into, position) => new Promise((resolve, reject) => fs.read(fd, into, 0, into.byteLength, position, settle(resolve, reject))),
  fsync: (fd) => new Promise((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve()))),
  close: (fd) => new Promise((resolve, reject) => fs.close(fd, (error) => (error ? reject(error) : resolve()))),
  size: (fd) => new Promise((resolve, reject) => fs.fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats.size)))),
  rename: (from, to) => new Promise((resolve, reject) => fs.rename(from, to, (error) => (error ? reject(error) : resolve()))),
  unlink: (path) => new Promise((resolve, reject) => fs.unlink(path, (error) => (error ? reject(error) : resolve()))),
  readdir: (path) => new Promise((resolve, reject) => fs.readdir(path, settle(resolve, reject))),
  mkdir: (path) => new Promise((resolve, reject) => fs.mkdir(path, { recursive: true }, (error) => (error ? reject(error) : resolve()))),
};
