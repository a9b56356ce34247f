/** Argument parsing and opening shared by the snapshot-store commands (`inspect`, `verify`). */
import { resolve } from 'node:path';
import { isSnapshotError, openFileSnapshotStore, type SnapshotStore } from '@concurrengine/snapshot';
import type { CliIo } from '../command.js';

export function parseStoreArgs(args: readonly string[]): { dir: string; json: boolean } | string {
  const json = args.includes('--json');
  const unknown = args.find((a) => a.startsWith('-') && a !== '--json');
  if (unknown !== undefined) return `unknown option '${unknown}'`;
  const dirs = args.filter((a) => !a.startsWith('-'));
  if (dirs.length !== 1 || dirs[0] === undefined) return dirs.length === 0 ? 'missing <dir>' : 'expected exactly one <dir>';
  return { dir: dirs[0], json };
}

/**
 * Opens an existing store read-only in effect (opening never changes the directory; these commands
 * never write), on this thread. Returns the error text when `dir` is not a readable store.
 */
export async function openStore(dir: string, io: CliIo): Promise<SnapshotStore | string> {
  try {
    return await openFileSnapshotStore(resolve(io.cwd, dir), { create: false, worker: false });
  } catch (error) {
    if (isSnapshotError(error)) return `${error.message} [${error.code}]`;
    throw error;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}
