/** The SnapshotStore contract, run against every implementation. */
import { afterAll, describe, expect, it } from 'vitest';

import { isSnapshotError, type SnapshotStore } from '../src/index.js';
import { bytes, filled, removeTempDirs, storeKinds, tempDir } from './helpers.js';

afterAll(removeTempDirs);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe.each(storeKinds)('$name store', (kind) => {
  const open = (o?: { segmentBytes?: number }): Promise<SnapshotStore> => kind.open(tempDir(), o);

  it('reads back what it wrote, with keys that let unchanged pages be passed by key', async () => {
    const store = await open();
    const a = filled(4096, 1);
    const b = filled(4096, 2);
    const first = await store.writeTick({ tick: 10, meta: bytes(1, 2, 3), pages: [a, b, a] });
    expect(first).toMatchObject({ tick: 10, pagesWritten: 2, pagesShared: 1 });
    expect(first.pageKeys[0]).toBe(first.pageKeys[2]);
    expect(first.pageKeys[0]).toMatch(/^[0-9a-f]{64}$/);
    const second = await store.writeTick({ tick: 11, meta: bytes(4), pages: [first.pageKeys[0]!, filled(100, 9), first.pageKeys[1]!] });
    expect(second).toMatchObject({ pagesWritten: 1, pagesShared: 2 });
    const back = await store.readTick(11);
    expect(back.meta).toEqual(bytes(4));
    expect(back.pages).toEqual([a, filled(100, 9), b]);
    expect(back.pageKeys).toEqual(second.pageKeys);
    expect((await store.readTick(10)).pages).toEqual([a, b, a]);
    expect(await store.listTicks()).toEqual([10, 11]);
    expect(await store.latest()).toBe(11);
    await store.close();
  });

  it('a tick with 1 % of its pages changed costs about those pages plus the manifest', async () => {
    const store = await open();
    const pages = Array.from({ length: 100 }, (_, i) => filled(8192, i));
    const full = await store.writeTick({ tick: 1, meta: bytes(), pages });
    const next = await store.writeTick({ tick: 2, meta: bytes(), pages: full.pageKeys.map((k, i) => (i === 42 ? filled(8192, 255) : k)) });
    expect(next.pagesWritten).toBe(1);
    expect(next.bytesWritten).toBeLessThan(8192 + 100 * 48 + 200);
    expect(next.bytesWritten).toBeGreaterThanOrEqual(8192);
    await store.close();
  });

  it('applies writes issued back to back in call order, and reads see earlier writes', async () => {
    const store = await open();
    const writes = Array.from({ length: 20 }, (_, t) => store.writeTick({ tick: t + 1, meta: bytes(t), pages: [filled(1000, t)] }));
    const read = store.readTick(20);
    const late = store.writeTick({ tick: 5, meta: bytes(), pages: [] });
    expect((await Promise.all(writes)).map((w) => w.tick)).toEqual(Array.from({ length: 20 }, (_, t) => t + 1));
    expect((await read).pages[0]).toEqual(filled(1000, 19));
    expect(isSnapshotError(await rejection(late), 'SNAPSHOT_ORDER')).toBe(true);
    await store.close();
  });

  it('accepts views over SharedArrayBuffer and typed arrays other than Uint8Array', async () => {
    const store = await open();
    const shared = new Uint8Array(new SharedArrayBuffer(3 * 512));
    shared.fill(5, 0, 512).fill(6, 512, 1024).fill(7, 1024);
    const floats = new Float64Array([1.5, -2, 3]);
    const pages = [shared.subarray(0, 512), shared.subarray(512, 1024), floats, new DataView(shared.buffer, 1024, 512)];
    await store.writeTick({ tick: 1, meta: bytes(), pages });
    const back = await store.readTick(1);
    expect(back.pages[0]).toEqual(filled(512, 5));
    expect(back.pages[1]).toEqual(filled(512, 6));
    expect(new Float64Array(back.pages[2]!.slice().buffer)).toEqual(floats);
    expect(back.pages[3]).toEqual(filled(512, 7));
    await store.close();
  });

  it('rejects bad ticks, unknown keys and missing ticks with typed errors', async () => {
    const store = await open();
    await store.writeTick({ tick: 3, meta: bytes(), pages: [] });
    await store.writeTick({ tick: 7, meta: bytes(), pages: [] });
    for (const tick of [3, 2, -1, 1.5, Number.NaN]) {
      expect(await rejection(store.writeTick({ tick, meta: bytes(), pages: [] }))).toMatchObject({ code: 'SNAPSHOT_ORDER' });
    }
    expect(await rejection(store.writeTick({ tick: 8, meta: bytes(), pages: ['ab'.repeat(32)] }))).toMatchObject({ code: 'SNAPSHOT_PAGE_MISSING', pageKey: 'ab'.repeat(32) });
    expect(await store.listTicks()).toEqual([3, 7]);
    const missing = await rejection(store.readTick(5));
    expect(missing).toMatchObject({ code: 'SNAPSHOT_TICK_MISSING', tick: 5, available: { first: 3, last: 7, count: 2 } });
    expect((missing as Error).message).toContain('from 3 to 7');
    await store.close();
    expect(await rejection(store.listTicks())).toMatchObject({ code: 'SNAPSHOT_CLOSED' });
    expect(await rejection(store.writeTick({ tick: 9, meta: bytes(), pages: [] }))).toMatchObject({ code: 'SNAPSHOT_CLOSED' });
  });

  it('compacts by predicate and by keepLast, freeing pages no kept tick uses', async () => {
    const store = await open({ segmentBytes: 4096 });
    const keys: string[][] = [];
    for (let t = 1; t <= 6; t++) {
      const r = await store.writeTick({ tick: t, meta: bytes(t), pages: [filled(1024, 0), filled(1024, t)] });
      keys.push([...r.pageKeys]);
    }
    const before = await store.stats();
    expect(before).toMatchObject({ ticks: 6, pages: 7, pageRefs: 12, pagesShared: 1 });
    const odd = await store.compact({ keep: (t) => t % 2 === 0 });
    expect(odd).toMatchObject({ ticksDropped: [1, 3, 5], ticksKept: 3, pagesDropped: kind.durable ? 3 : 3 });
    expect(await store.listTicks()).toEqual([2, 4, 6]);
    const last = await store.compact({ keepLast: 1 });
    expect(last.ticksDropped).toEqual([2, 4]);
    expect((await store.readTick(6)).pages).toEqual([filled(1024, 0), filled(1024, 6)]);
    const after = await store.stats();
    expect(after).toMatchObject({ ticks: 1, pages: 2, pageBytes: 2048, dedupeRatio: 1 });
    if (kind.durable) expect(after.bytesOnDisk).toBeLessThan(before.bytesOnDisk / 2);
    expect(await rejection(store.writeTick({ tick: 7, meta: bytes(), pages: [keys[0]![1]!] }))).toMatchObject({ code: 'SNAPSHOT_PAGE_MISSING' });
    await store.writeTick({ tick: 7, meta: bytes(), pages: [keys[5]![0]!] });
    expect((await store.verify()).ok).toBe(true);
    expect((await store.compact({ keepLast: 0 })).ticksKept).toBe(0);
    expect(await store.latest()).toBeUndefined();
    await store.close();
  });

  it('stats count pages shared between ticks and the dedupe ratio', async () => {
    const store = await open();
    await store.writeTick({ tick: 1, meta: bytes(), pages: [filled(100, 1), filled(100, 2)] });
    await store.writeTick({ tick: 2, meta: bytes(), pages: [filled(100, 1), filled(100, 3)] });
    const s = await store.stats();
    expect(s).toMatchObject({ ticks: 2, first: 1, last: 2, pages: 3, pageBytes: 300, pageRefs: 4, logicalBytes: 400, pagesShared: 1 });
    expect(s.dedupeRatio).toBeCloseTo(4 / 3);
    expect(s.perTick.map((t) => t.sharedWithPrevious)).toEqual([0, 1]);
    await store.close();
  });
});

describe('file store across reopen', () => {
  it.each(storeKinds.filter((k) => k.durable))('$name: a reopened store lists and reads every tick', async (kind) => {
    const dir = tempDir();
    const store = await kind.open(dir, { segmentBytes: 2048 });
    for (let t = 1; t <= 5; t++) await store.writeTick({ tick: t, meta: bytes(t), pages: [filled(1000, t % 2), filled(1000, t)] });
    await store.close();
    const again = await kind.open(dir);
    expect(await again.listTicks()).toEqual([1, 2, 3, 4, 5]);
    expect((await again.readTick(4)).pages).toEqual([filled(1000, 0), filled(1000, 4)]);
    const w = await again.writeTick({ tick: 6, meta: bytes(), pages: [filled(1000, 1), filled(1000, 3)] });
    expect(w.pagesWritten).toBe(0);
    expect((await again.verify()).ok).toBe(true);
    await again.close();
  });
});
