/** File helpers over the seam: whole writes, whole reads, durable publication, directory sync. */
import { join } from 'node:path';

import { ioError, SnapshotError } from '../errors.js';
import type { FileSystemSeam } from '../fileSystem.js';
import { TEMP_SUFFIX } from '../format.js';

/** Calls the seam, turning a failure into SNAPSHOT_IO naming the operation and path. */
export async function io<T>(operation: string, path: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw ioError(error, operation, path);
  }
}

/** Writes every byte of `chunks` at `position`, continuing after short writes. */
export async function writeAll(fs: FileSystemSeam, fd: number, path: string, chunks: readonly ArrayBufferView[], position: number): Promise<void> {
  let rest = chunks;
  let at = position;
  let left = chunks.reduce((n, c) => n + c.byteLength, 0);
  while (left > 0) {
    const written = await io('writev', path, () => fs.writev(fd, rest, at));
    if (written <= 0) throw new SnapshotError('SNAPSHOT_IO', `writev ${path} wrote nothing at offset ${at}`, { errno: 'EIO', path, operation: 'writev' });
    left -= written;
    at += written;
    if (left > 0) rest = skipBytes(rest, written);
  }
}

function skipBytes(chunks: readonly ArrayBufferView[], n: number): ArrayBufferView[] {
  const out: ArrayBufferView[] = [];
  let skip = n;
  for (const c of chunks) {
    if (skip >= c.byteLength) {
      skip -= c.byteLength;
      continue;
    }
    out.push(skip > 0 ? new Uint8Array(c.buffer, c.byteOffset + skip, c.byteLength - skip) : c);
    skip = 0;
  }
  return out;
}

/** Reads exactly `length` bytes at `position` into a fresh (transferable) buffer; fewer at end of file. */
export async function readAt(fs: FileSystemSeam, fd: number, path: string, length: number, position: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = await io('read', path, () => fs.read(fd, out.subarray(got), position + got));
    if (n <= 0) return out.subarray(0, got);
    got += n;
  }
  return out;
}

/** Reads the first `maxBytes` of a file (all of it when shorter): nothing is allocated from the file's own size. */
export async function readHead(fs: FileSystemSeam, path: string, maxBytes: number): Promise<Uint8Array> {
  const fd = await io('open', path, () => fs.open(path, 'r'));
  try {
    return await readAt(fs, fd, path, maxBytes, 0);
  } finally {
    await io('close', path, () => fs.close(fd));
  }
}

/** fsync of the directory, so that creations, renames and unlinks in it are durable. */
export async function syncDir(fs: FileSystemSeam, dir: string): Promise<void> {
  const fd = await io('open', dir, () => fs.open(dir, 'r'));
  try {
    await io('fsync', dir, () => fs.fsync(fd));
  } finally {
    await io('close', dir, () => fs.close(fd));
  }
}

/**
 * Publishes `bytes` as `dir/name` atomically: write a temp file, fsync it, rename it over the name,
 * then (unless `syncDirectory` is false, when the caller syncs once for a batch) fsync the directory.
 * A crash before the rename leaves only a temp file, which the next writer deletes.
 */
export async function publishFile(fs: FileSystemSeam, dir: string, name: string, bytes: Uint8Array, syncDirectory = true): Promise<void> {
  const path = join(dir, name);
  const temp = path + TEMP_SUFFIX;
  const fd = await io('open', temp, () => fs.open(temp, 'w'));
  try {
    await writeAll(fs, fd, temp, [bytes], 0);
    await io('fsync', temp, () => fs.fsync(fd));
  } finally {
    await io('close', temp, () => fs.close(fd));
  }
  await io('rename', temp, () => fs.rename(temp, path));
  if (syncDirectory) await syncDir(fs, dir);
}
