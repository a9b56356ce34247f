/**
 * Issue 15 item 8: a huge or crafted manifest (its checksum recomputed, so only the structural
 * checks stand in the way) fails its own tick with SNAPSHOT_CORRUPT naming the file and the tick;
 * the store opens, and every other tick reads back.
 */
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

import { MAX_MANIFEST_BYTES } from '../src/format.js';
import { openFileSnapshotStore, type SnapshotStore } from '../src/index.js';
import { bytes, filled, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const SHARED = filled(2000, 0xee);
const unique = (t: number): Uint8Array => Uint8Array.from({ length: 3000 }, (_, i) => ((i * 7 + t * 13) & 0xff) ^ t);
const manifestOf = (dir: string, t: number): string => join(dir, `tick-${String(t).padStart(16, '0')}.ctick`);

async function fourTicks(): Promise<string> {
  const dir = tempDir('snapshot-issue15-');
  const store = await openFileSnapshotStore(dir, { worker: false });
  for (let t = 1; t <= 4; t++) await store.writeTick({ tick: t, meta: bytes(t, t), pages: [SHARED, unique(t)] });
  await store.close();
  return dir;
}

/** Rewrites tick `t`'s manifest through `edit`, then recomputes its body checksum. */
function craft(dir: string, t: number, edit: (b: Buffer) => Buffer | undefined): void {
  const file = manifestOf(dir, t);
  let b: Buffer = readFileSync(file);
  b = edit(b) ?? b;
  if (b.length >= 52) b.writeUInt32LE(crc32(b.subarray(32, b.length - 4)), b.length - 4);
  writeFileSync(file, b);
}

/** Offset of entry `i` of a manifest whose meta is `m` bytes. */
const entry = (i: number, m = 2): number => 48 + m + i * 48;

async function expectOnlyTickBroken(dir: string, t: number, offset?: number): Promise<void> {
  const file = manifestOf(dir, t);
  for (const worker of [false, true]) {
    const store: SnapshotStore = await openFileSnapshotStore(dir, { worker });
    try {
      expect(await store.listTicks()).toEqual([1, 2, 3, 4]);
      const error = await store.readTick(t).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: 'SnapshotError', code: 'SNAPSHOT_CORRUPT', file, tick: t, ...(offset !== undefined ? { offset } : {}) });
      expect((error as Error).message).toContain(`tick ${t}`);
      for (const other of [1, 2, 3, 4].filter((x) => x !== t)) {
        const snap = await store.readTick(other);
        expect(snap.pages).toEqual([SHARED, unique(other)]);
        expect(snap.meta).toEqual(bytes(other, other));
      }
      const report = await store.verify();
      expect(report.ticks).toEqual([1, 2, 3, 4].map((tick) => ({ tick, ok: tick !== t })));
      expect(report.problems).toEqual([expect.objectContaining({ tick: t, file, code: 'SNAPSHOT_CORRUPT' })]);
      const stats = await store.stats();
      expect(stats.unreadable).toEqual([expect.objectContaining({ tick: t, file, code: 'SNAPSHOT_CORRUPT' })]);
    } finally {
      await store.close();
    }
  }
}

describe('issue 15: huge and crafted manifests', () => {
  it('a sparse manifest grown past 4 GiB fails its tick only; nothing is allocated for it', async () => {
    const dir = await fourTicks();
    truncateSync(manifestOf(dir, 2), 2 ** 32 + 4096); // sparse: costs no disk
    await expectOnlyTickBroken(dir, 2);
  });

  it('a manifest past the size limit whose declared sizes match its length fails its tick', async () => {
    const dir = await fourTicks();
    const size = MAX_MANIFEST_BYTES + 48;
    // Declares (size - 52) meta bytes and no pages: consistent, but over the limit.
    craft(dir, 3, (b) => {
      b.writeUInt32LE(0, 40);
      b.writeUInt32LE(size - 52, 44);
    });
    truncateSync(manifestOf(dir, 3), size);
    await expectOnlyTickBroken(dir, 3);
  });

  it.each([
    ['meta length past the end of the file', (b: Buffer) => void b.writeUInt32LE(0xffffffff, 44), 40],
    ['page count past the end of the file', (b: Buffer) => void b.writeUInt32LE(0x7fffffff, 40), 40],
    ['a page length of 4 GiB - 1', (b: Buffer) => void b.writeUInt32LE(0xffffffff, entry(1) + 36), entry(1)],
    ['a page length past the segment', (b: Buffer) => void b.writeUInt32LE(5_000_000, entry(1) + 36), entry(1)],
    ['a record offset of 2^60', (b: Buffer) => void b.writeBigUInt64LE(2n ** 60n, entry(1) + 40), entry(1)],
    ['a record offset past the segment', (b: Buffer) => void b.writeBigUInt64LE(10_000_000n, entry(1) + 40), entry(1)],
    ['a record offset inside the segment header', (b: Buffer) => void b.writeBigUInt64LE(4n, entry(1) + 40), entry(1)],
    ['a segment that does not exist', (b: Buffer) => void b.writeUInt32LE(999, entry(1) + 32), entry(1)],
    ['segment 0', (b: Buffer) => void b.writeUInt32LE(0, entry(0) + 32), entry(0)],
    ['a tick that is not its name', (b: Buffer) => void b.writeBigUInt64LE(7n, 32), 32],
    ['a tick of 2^63', (b: Buffer) => void b.writeBigUInt64LE(2n ** 63n, 32), 32],
    ['a truncated body', (b: Buffer) => b.subarray(0, 60), undefined],
  ])('%s fails that tick with its file, tick and offset; the others read', async (_, edit, offset) => {
    const dir = await fourTicks();
    craft(dir, 2, edit);
    await expectOnlyTickBroken(dir, 2, offset);
  });

  it('a crafted key at a location other ticks share marks the crafted tick, not theirs, and compaction works once it is dropped', async () => {
    for (const victim of [1, 3]) {
      const dir = await fourTicks();
      craft(dir, victim, (b) => void b.fill(0x42, entry(0), entry(0) + 32)); // the shared page's key
      await expectOnlyTickBroken(dir, victim, entry(0));
      const store = await openFileSnapshotStore(dir, { worker: false });
      await expect(store.compact({ keepLast: 4 })).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT', tick: victim });
      await store.compact({ keep: (t) => t !== victim });
      const kept = [1, 2, 3, 4].filter((t) => t !== victim);
      for (const t of kept) expect((await store.readTick(t)).pages).toEqual([SHARED, unique(t)]);
      // A page written again after reopening shares the real record, never the crafted claim.
      await store.writeTick({ tick: 9, meta: bytes(9), pages: [SHARED, unique(9)] });
      expect((await store.readTick(9)).pages).toEqual([SHARED, unique(9)]);
      expect((await store.verify()).ok).toBe(true);
      expect(readdirSync(dir).filter((n) => n.endsWith('.ctick'))).toHaveLength(kept.length + 1);
      await store.close();
    }
  });

  it('a crafted entry that points a key at the wrong place is never shared by a new tick', async () => {
    const dir = await fourTicks();
    // Tick 1 (loaded first) says the shared page lies inside its own unique record: no other
    // manifest claims that spot, so only the record itself can tell.
    craft(dir, 1, (b) => void b.writeBigUInt64LE(b.readBigUInt64LE(entry(1) + 40) + 8n, entry(0) + 40));
    const store = await openFileSnapshotStore(dir, { worker: false });
    await expect(store.readTick(1)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    const written = await store.writeTick({ tick: 9, meta: bytes(9), pages: [SHARED, unique(9)] });
    expect(written.pagesShared).toBe(1); // shared with the real record, not the claim
    await store.writeTick({ tick: 10, meta: bytes(10), pages: [written.pageKeys[0]!] });
    expect((await store.readTick(9)).pages).toEqual([SHARED, unique(9)]);
    expect((await store.readTick(10)).pages).toEqual([SHARED]);
    expect((await store.verify()).problems.map((p) => p.tick)).toEqual([1]);
    await store.close();
  });
});
