/** A worker store with `yieldTo` hashes in its owner's idle time: while the owner's word says busy, each page waits (up to 8 ms). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { openFileSnapshotStore } from '../src/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const page = (fill: number) => new Uint8Array(64 * 1024).fill(fill);

describe('yieldTo', () => {
  it('holds each page back while the owner is busy, and writes everything once it is idle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concurrengine-courtesy-'));
    dirs.push(dir);
    const busy = new Int32Array(new SharedArrayBuffer(4));
    const store = await openFileSnapshotStore(dir, { yieldTo: busy });
    try {
      Atomics.store(busy, 0, 1); // the owner is in a tick for the whole write
      const began = performance.now();
      await store.writeTick({ tick: 1, meta: new Uint8Array([1]), pages: [page(1), page(2), page(3), page(4)] });
      expect(performance.now() - began).toBeGreaterThanOrEqual(4 * 8 - 4); // each page waited its 8 ms
      Atomics.store(busy, 0, 0);
      Atomics.notify(busy, 0);
      await store.writeTick({ tick: 2, meta: new Uint8Array([2]), pages: [page(5), page(6)] });
      expect(await store.listTicks()).toEqual([1, 2]);
      expect((await store.readTick(1)).pages[3]![0]).toBe(4);
    } finally {
      await store.close();
    }
  });
});
