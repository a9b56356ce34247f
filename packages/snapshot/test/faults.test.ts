/**
 * Full disk and permission errors injected through the file-system seam at every call of a write
 * and of a compaction: each surfaces as SNAPSHOT_IO naming errno, path and operation, the ticks
 * before stay intact, and the store (and a reopened one) keeps working.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { isSnapshotError, openFileSnapshotStore, type SnapshotStore } from '../src/index.js';
import { createFaultyFileSystem, type FaultyFileSystem } from '../src/testing.js';
import { bytes, filled, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

/** Faults go into the calls that change or sync the disk (reads fail the same way and are cheaper to skip). */
const MUTATING = ['open', 'writev', 'fsync', 'close', 'rename', 'unlink', 'mkdir'] as const;

const pagesOf = (t: number): Uint8Array[] => [filled(3000, 1), filled(3000, t), filled(500, (t * 3) & 0xff)];

async function seeded(ticks: number): Promise<{ dir: string; fs: FaultyFileSystem; store: SnapshotStore }> {
  const dir = tempDir('snapshot-faults-');
  const fs = createFaultyFileSystem();
  const store = await openFileSnapshotStore(dir, { fs, segmentBytes: 7000 });
  for (let t = 1; t <= ticks; t++) await store.writeTick({ tick: t, meta: bytes(t), pages: pagesOf(t) });
  return { dir, fs, store };
}

async function expectIntact(store: SnapshotStore, ticks: readonly number[]): Promise<void> {
  expect(await store.listTicks()).toEqual(ticks);
  for (const t of ticks) {
    const back = await store.readTick(t);
    expect(back.meta).toEqual(bytes(t));
    expect(back.pages).toEqual(pagesOf(t));
  }
  expect((await store.verify()).ok).toBe(true);
}

/** Calls one operation makes: run it unarmed on an identical store and count. */
async function callsOf(ticks: number, operation: (store: SnapshotStore) => Promise<unknown>): Promise<number> {
  const { fs, store } = await seeded(ticks);
  fs.arm({ at: Number.MAX_SAFE_INTEGER, code: 'EIO', ops: MUTATING });
  await operation(store);
  const calls = fs.calls;
  await store.close();
  return calls;
}

// Every call gets one fault: ENOSPC at odd calls, EACCES at even ones (the path is the same for
// both errnos, so alternating halves the run time without skipping a call).
describe.each([
  { code: 'ENOSPC', first: 1 },
  { code: 'EACCES', first: 2 },
])('$code injected', ({ code, first }) => {
  it('at every call of writeTick: typed error, earlier ticks intact, later writes work', async () => {
    const write = (store: SnapshotStore): Promise<unknown> => store.writeTick({ tick: 4, meta: bytes(4), pages: pagesOf(4) });
    const total = await callsOf(3, write);
    expect(total).toBeGreaterThan(8);
    for (let at = first; at <= total; at += 2) {
      const { dir, fs, store } = await seeded(3);
      fs.arm({ at, code, ops: MUTATING });
      const error = await write(store).then(() => undefined, (e: unknown) => e);
      expect(isSnapshotError(error, 'SNAPSHOT_IO'), `call ${at} of ${total}: ${String(error)}`).toBe(true);
      expect(error).toMatchObject({ errno: code, operation: expect.any(String), path: expect.stringContaining(dir) });
      fs.arm(undefined);
      await expectIntact(store, [1, 2, 3]);
      await store.writeTick({ tick: 5, meta: bytes(5), pages: pagesOf(5) });
      await store.close();
      const reopened = await openFileSnapshotStore(dir, { worker: false });
      const listed = await reopened.listTicks();
      expect(listed).toEqual([1, 2, 3, 5]);
      await expectIntact(reopened, [1, 2, 3, 5]);
      await reopened.close();
    }
  });

  it('at every call of compact: typed error, every listed tick stays readable, a retry completes', async () => {
    const compact = (store: SnapshotStore): Promise<unknown> => store.compact({ keep: (t) => t % 2 === 0 });
    const total = await callsOf(6, compact);
    expect(total).toBeGreaterThan(10);
    for (let at = first; at <= total; at += 2) {
      const { dir, fs, store } = await seeded(6);
      fs.arm({ at, code, ops: MUTATING });
      const error = await compact(store).then(() => undefined, (e: unknown) => e);
      expect(error, `call ${at} of ${total}`).toMatchObject({ code: 'SNAPSHOT_IO', errno: code });
      fs.arm(undefined);
      const listed = await store.listTicks();
      await expectIntact(store, listed);
      await compact(store);
      await expectIntact(store, [2, 4, 6]);
      await store.close();
      const reopened = await openFileSnapshotStore(dir, { worker: false });
      await expectIntact(reopened, [2, 4, 6]);
      await reopened.writeTick({ tick: 7, meta: bytes(7), pages: pagesOf(7) });
      expect((await reopened.compact({ keepLast: 1 })).ticksKept).toBe(1);
      await expectIntact(reopened, [7]);
      await reopened.close();
    }
  });
});

describe('a disk that stays full', () => {
  it('every write fails with ENOSPC until space returns; nothing partial is listed', async () => {
    const { dir, fs, store } = await seeded(2);
    fs.arm({ at: 1, code: 'ENOSPC', ops: ['writev'], sticky: true });
    for (let t = 3; t <= 5; t++) await expect(store.writeTick({ tick: t, meta: bytes(t), pages: pagesOf(t) })).rejects.toMatchObject({ code: 'SNAPSHOT_IO', errno: 'ENOSPC', operation: 'writev' });
    expect(fs.faults).toBeGreaterThanOrEqual(3);
    fs.arm(undefined);
    await store.writeTick({ tick: 6, meta: bytes(6), pages: pagesOf(6) });
    await expectIntact(store, [1, 2, 6]);
    await store.close();
    const reopened = await openFileSnapshotStore(dir, { worker: false });
    await expectIntact(reopened, [1, 2, 6]);
    await reopened.close();
  });
});
