/** Flipped bytes in real files: the affected tick fails with a typed error naming file and offset, the rest stays readable. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

import { openFileSnapshotStore, type SnapshotStore } from '../src/index.js';
import { bytes, filled, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const SHARED = filled(2000, 0xee);
/** Page unique to tick t: a pattern that occurs nowhere else in the store. */
const unique = (t: number): Uint8Array => Uint8Array.from({ length: 3000 }, (_, i) => (i * 7 + t * 13) & 0xff ^ t);

async function fourTicks(): Promise<string> {
  const dir = tempDir('snapshot-corrupt-');
  const store = await openFileSnapshotStore(dir, { worker: false, segmentBytes: 1 });
  for (let t = 1; t <= 4; t++) await store.writeTick({ tick: t, meta: bytes(t), pages: [SHARED, unique(t)] });
  await store.close();
  return dir;
}

const manifestOf = (dir: string, t: number): string => join(dir, `tick-${String(t).padStart(16, '0')}.ctick`);

/** The segment holding `needle`, and the offset of its record (the 40-byte header precedes the payload). */
function locate(dir: string, needle: Uint8Array): { file: string; record: number } {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.cseg'))) {
    const at = readFileSync(join(dir, name)).indexOf(needle);
    if (at >= 0) return { file: join(dir, name), record: at - 40 };
  }
  throw new Error('page not found');
}

function flip(file: string, offset: number): void {
  const data = readFileSync(file);
  data[offset]! ^= 0x5a;
  writeFileSync(file, data);
}

async function expectReadable(store: SnapshotStore, ticks: number[]): Promise<void> {
  for (const t of ticks) expect((await store.readTick(t)).pages).toEqual([SHARED, unique(t)]);
}

describe('corruption', () => {
  it.each([
    ['payload', 40 + 1234],
    ['record header', 2],
  ])('a flipped byte in a page %s fails that tick only, with file and record offset', async (_, delta) => {
    const dir = await fourTicks();
    const { file, record } = locate(dir, unique(2));
    flip(file, record + delta);
    for (const worker of [false, true]) {
      const store = await openFileSnapshotStore(dir, { worker });
      expect(await store.listTicks()).toEqual([1, 2, 3, 4]);
      await expect(store.readTick(2)).rejects.toMatchObject({ name: 'SnapshotError', code: 'SNAPSHOT_CORRUPT', file, offset: record });
      await expectReadable(store, [1, 3, 4]);
      const report = await store.verify();
      expect(report.ok).toBe(false);
      expect(report.ticks).toEqual([1, 2, 3, 4].map((tick) => ({ tick, ok: tick !== 2 })));
      expect(report.problems).toEqual([expect.objectContaining({ tick: 2, file, offset: record, code: 'SNAPSHOT_CORRUPT' })]);
      await store.close();
    }
  });

  it('a page shared by every tick fails every tick, and verify names each', async () => {
    const dir = await fourTicks();
    const { file, record } = locate(dir, SHARED);
    flip(file, record + 40 + 5);
    const store = await openFileSnapshotStore(dir, { worker: false });
    await expect(store.readTick(4)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT', file, offset: record });
    const report = await store.verify();
    expect(report.problems.map((p) => p.tick)).toEqual([1, 2, 3, 4]);
    await store.close();
  });

  it('a flipped byte in a manifest fails that tick (at open or later), the others read, compaction refuses to keep it', async () => {
    const dir = await fourTicks();
    const store = await openFileSnapshotStore(dir, { worker: false });
    flip(manifestOf(dir, 3), 50); // after open: caught when read
    await expect(store.readTick(3)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT', file: manifestOf(dir, 3), offset: 32 });
    await store.close();

    const reopened = await openFileSnapshotStore(dir, { worker: false });
    expect(await reopened.listTicks()).toEqual([1, 2, 3, 4]);
    await expect(reopened.readTick(3)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT', file: manifestOf(dir, 3), offset: 32 });
    await expectReadable(reopened, [1, 2, 4]);
    const report = await reopened.verify();
    expect(report.problems).toEqual([expect.objectContaining({ tick: 3, file: manifestOf(dir, 3), offset: 32, code: 'SNAPSHOT_CORRUPT' })]);
    await expect(reopened.compact({ keepLast: 2 })).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT', tick: 3 });
    expect((await reopened.compact({ keep: (t) => t !== 3 })).ticksDropped).toEqual([3]);
    await expectReadable(reopened, [1, 2, 4]);
    expect((await reopened.verify()).ok).toBe(true);
    await reopened.close();
  });

  it('a newer or foreign store header is SNAPSHOT_FORMAT with found and supported versions', async () => {
    const dir = await fourTicks();
    const header = readFileSync(join(dir, 'store.cstore'));
    const newer = Buffer.from(header);
    newer.writeUInt32LE(7, 8);
    newer.writeUInt32LE(crc32(newer.subarray(0, 28)), 28);
    writeFileSync(join(dir, 'store.cstore'), newer);
    await expect(openFileSnapshotStore(dir, { worker: false })).rejects.toMatchObject({ code: 'SNAPSHOT_FORMAT', file: join(dir, 'store.cstore'), found: 7, supported: 1 });
    await expect(openFileSnapshotStore(dir)).rejects.toMatchObject({ code: 'SNAPSHOT_FORMAT', found: 7 });
    writeFileSync(join(dir, 'store.cstore'), 'PK\x03\x04 definitely a zip file');
    await expect(openFileSnapshotStore(dir, { worker: false })).rejects.toThrow(/is not a concurrengine snapshot file: magic "PK/);
  });

  it('a manifest from a newer format fails its tick with SNAPSHOT_FORMAT', async () => {
    const dir = await fourTicks();
    const data = readFileSync(manifestOf(dir, 1));
    data.writeUInt32LE(2, 8);
    data.writeUInt32LE(crc32(data.subarray(0, 28)), 28);
    writeFileSync(manifestOf(dir, 1), data);
    const store = await openFileSnapshotStore(dir, { worker: false });
    await expect(store.readTick(1)).rejects.toMatchObject({ code: 'SNAPSHOT_FORMAT', file: manifestOf(dir, 1), found: 2, supported: 1 });
    await expectReadable(store, [2, 3, 4]);
    await store.close();
  });

  it('a directory without a store header is not opened as a store unless create', async () => {
    const dir = tempDir('snapshot-empty-');
    await expect(openFileSnapshotStore(dir, { worker: false, create: false })).rejects.toMatchObject({ code: 'SNAPSHOT_FORMAT' });
    await expect(openFileSnapshotStore(join(dir, 'missing'), { worker: false, create: false })).rejects.toMatchObject({ code: 'SNAPSHOT_IO', errno: 'ENOENT', operation: 'readdir' });
    const store = await openFileSnapshotStore(join(dir, 'nested', 'store'), { worker: false });
    expect(await store.listTicks()).toEqual([]);
    await store.close();
  });
});
