/** Temp directories and store factories shared by the tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createMemorySnapshotStore, openFileSnapshotStore, type SnapshotStore } from '../src/index.js';

const made: string[] = [];

/** A fresh directory under the OS temp dir (on the real disk), removed by {@link removeTempDirs}. */
export function tempDir(prefix = 'snapshot-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface StoreKind {
  readonly name: string;
  readonly durable: boolean;
  open(dir: string, options?: { segmentBytes?: number }): Promise<SnapshotStore>;
}

export const storeKinds: readonly StoreKind[] = [
  { name: 'memory', durable: false, open: async () => createMemorySnapshotStore() },
  { name: 'file (caller thread)', durable: true, open: (dir, o) => openFileSnapshotStore(dir, { worker: false, ...o }) },
  { name: 'file (worker)', durable: true, open: (dir, o) => openFileSnapshotStore(dir, { worker: true, ...o }) },
];

export const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
export const filled = (size: number, value: number): Uint8Array => new Uint8Array(size).fill(value);
