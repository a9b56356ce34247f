/**
 * Property (issue 15 item 8): a store written by the real store code, one tick's manifest then
 * flipped, truncated, grown or crafted (its checksum often recomputed, so the structural checks
 * are what stands in the way). Opening never fails; every read of that tick returns what its
 * manifest says (the original bytes when the checksum was not recomputed) or throws SNAPSHOT_CORRUPT
 * / SNAPSHOT_FORMAT naming the tick — never a RangeError or TypeError; every other tick reads back
 * unchanged, a new tick of the same pages reads back, and dropping the bad tick leaves a clean store.
 */
import { cpSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hashPage, keyToHex } from '../src/pages.js';
import { isSnapshotError, openFileSnapshotStore, type SnapshotStore } from '../src/index.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const TICKS = [1, 2, 3, 4] as const;
const POOL = Array.from({ length: 5 }, (_, i) => Uint8Array.from({ length: 300 + 211 * i }, (_, j) => (j * (i + 3) + i) & 0xff));
/** Tick t: pool pages shared across ticks plus one of its own, metas of different lengths. */
const original = new Map(TICKS.map((t) => [t, { meta: Uint8Array.from({ length: t * 5 }, (_, j) => t + j), pages: [POOL[0]!, POOL[t]!, POOL[(t + 1) % 5]!, Uint8Array.from({ length: 500 }, (_, j) => (j ^ (t * 37)) & 0xff)] }]));
const manifestOf = (dir: string, t: number): string => join(dir, `tick-${String(t).padStart(16, '0')}.ctick`);
const entryAt = (t: number, i: number): number => 48 + t * 5 + i * 48;

let pristine: string;
beforeAll(async () => {
  pristine = tempDir('snapshot-fuzz-src-');
  const store = await openFileSnapshotStore(pristine, { worker: false, segmentBytes: 2000 }); // several segments
  for (const t of TICKS) await store.writeTick({ tick: t, ...original.get(t)! });
  await store.close();
});

type Mutation =
  | { readonly type: 'flip'; readonly at: number; readonly xor: number }
  | { readonly type: 'truncate'; readonly length: number }
  | { readonly type: 'u32'; readonly field: number; readonly value: number }
  | { readonly type: 'u64'; readonly field: number; readonly value: bigint }
  | { readonly type: 'borrow'; readonly from: number; readonly entry: number; readonly into: number; readonly what: 'key' | 'location' | 'all' };

const u32 = fc.oneof(fc.constantFrom(0, 1, 4, 31, 32, 40, 48, 0x7fffffff, 0x80000000, 0xffffffff), fc.nat({ max: 0xffffffff }));
const u64 = fc.oneof(fc.constantFrom(0n, 4n, 32n, 72n, 2n ** 32n, 2n ** 53n, 2n ** 60n, 2n ** 63n, 2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
const entry = fc.nat({ max: 3 });
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ type: fc.constant('flip' as const), at: fc.nat({ max: 300 }), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ type: fc.constant('truncate' as const), length: fc.oneof(fc.nat({ max: 320 }), fc.constant(2 ** 32 + 16)) }),
  fc.record({ type: fc.constant('u32' as const), field: fc.oneof(fc.constantFrom(-40, -44), entry.map((i) => i * 2 + 1), entry.map((i) => i * 2)), value: u32 }),
  fc.record({ type: fc.constant('u64' as const), field: fc.oneof(fc.constant(-32), entry), value: u64 }),
  fc.record({ type: fc.constant('borrow' as const), from: fc.constantFrom(...TICKS), entry, into: entry, what: fc.constantFrom('key' as const, 'location' as const, 'all' as const) }),
);

/** Applies `m` to tick `t`'s manifest bytes (negative fields: fixed offsets; others: entry fields). */
function mutate(dir: string, t: number, b: Buffer, m: Mutation): Buffer {
  const at = (i: number): number => entryAt(t, i);
  switch (m.type) {
    case 'flip':
      if (m.at < b.length) b[m.at]! ^= m.xor;
      return b;
    case 'truncate':
      return m.length <= b.length ? b.subarray(0, m.length) : Buffer.concat([b, Buffer.alloc(Math.min(m.length - b.length, 64))]);
    case 'u32': {
      const offset = m.field < 0 ? -m.field : at(m.field >> 1) + (m.field & 1 ? 36 : 32);
      if (offset + 4 <= b.length) b.writeUInt32LE(m.value, offset);
      return b;
    }
    case 'u64': {
      const offset = m.field < 0 ? -m.field : at(m.field) + 40;
      if (offset + 8 <= b.length) b.writeBigUInt64LE(m.value, offset);
      return b;
    }
    case 'borrow': {
      const source = readFileSync(manifestOf(dir, m.from));
      const [start, end] = m.what === 'key' ? [0, 32] : m.what === 'location' ? [32, 48] : [0, 48];
      if (at(m.into) + 48 <= b.length) source.copy(b, at(m.into) + start, entryAt(m.from, m.entry) + start, entryAt(m.from, m.entry) + end);
      return b;
    }
  }
}

async function readOrError(store: SnapshotStore, t: number): Promise<{ pages: readonly Uint8Array[]; pageKeys: readonly string[]; meta: Uint8Array } | unknown> {
  return store.readTick(t).then(
    (snap) => snap,
    (error: unknown) => ({ error }),
  );
}

function expectTypedFailure(error: unknown, t: number): void {
  if (!isSnapshotError(error)) throw new Error(`tick ${t}: an untyped error escaped: ${String(error)}`, { cause: error });
  expect(['SNAPSHOT_CORRUPT', 'SNAPSHOT_FORMAT']).toContain(error.code);
  expect(error.tick).toBe(t);
  expect(error.message).toContain(`tick ${t}`);
}

async function expectOthersIntact(store: SnapshotStore, ticks: readonly number[]): Promise<void> {
  for (const t of ticks) {
    const snap = await store.readTick(t);
    expect(snap.pages).toEqual(original.get(t as 1)!.pages);
    expect(snap.meta).toEqual(original.get(t as 1)!.meta);
  }
}

describe('manifests under damage (fast-check, fixed seed)', () => {
  it('the damaged tick reads as its manifest says or fails typed; the others never change', { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TICKS), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.boolean(), async (target, mutations, reseal) => {
        const dir = tempDir('snapshot-fuzz-');
        cpSync(pristine, dir, { recursive: true });
        const file = manifestOf(dir, target);
        let b: Buffer = readFileSync(file);
        let grow: number | undefined;
        for (const m of mutations) {
          if (m.type === 'truncate' && m.length > 2 ** 32) grow = m.length;
          else b = mutate(dir, target, Buffer.from(b), m);
        }
        if (reseal && b.length >= 52) b.writeUInt32LE(crc32(b.subarray(32, b.length - 4)), b.length - 4);
        writeFileSync(file, b);
        if (grow !== undefined) truncateSync(file, grow); // sparse

        const others = TICKS.filter((t) => t !== target);
        const store = await openFileSnapshotStore(dir, { worker: false });
        try {
          expect(await store.listTicks()).toEqual([...TICKS]);
          const got = await readOrError(store, target);
          if (got && typeof got === 'object' && 'error' in got) expectTypedFailure(got.error, target);
          else {
            const snap = got as { pages: readonly Uint8Array[]; pageKeys: readonly string[]; meta: Uint8Array };
            if (!reseal) expect(snap).toMatchObject(original.get(target)!);
            // Whatever a valid manifest says, each page is the content its key names.
            snap.pages.forEach((p, i) => expect(keyToHex(hashPage(p))).toBe(snap.pageKeys[i]));
          }
          await expectOthersIntact(store, others);
          const report = await store.verify();
          expect(report.problems.every((p) => p.tick === target)).toBe(true);
          expect(report.ticks.filter((t) => !t.ok).every((t) => t.tick === target)).toBe(true);
          await store.stats();

          // A new tick of every page shares only sound records.
          const all = TICKS.flatMap((t) => original.get(t)!.pages);
          const written = await store.writeTick({ tick: 5, meta: Uint8Array.of(5), pages: all });
          await store.writeTick({ tick: 6, meta: Uint8Array.of(6), pages: written.pageKeys });
          for (const t of [5, 6]) expect((await store.readTick(t)).pages).toEqual(all);
          await store.compact({ keep: (t) => t !== target });
          await expectOthersIntact(store, others);
          expect((await store.verify()).ok).toBe(true);
        } finally {
          await store.close();
        }
      }),
      { seed: 0x15_08, numRuns: 60, endOnFailure: true },
    );
  });
});
