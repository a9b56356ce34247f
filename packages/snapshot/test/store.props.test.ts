/**
 * Property: any sequence of writes, compactions and (for the file store) reopenings reads back
 * equal to a plain Map model, and a kept tick never changes.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { createMemorySnapshotStore, openFileSnapshotStore, type PageKey, type SnapshotStore } from '../src/index.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

/** A small pool of distinct pages (some empty, sizes vary) so that ticks share content. */
const POOL: readonly Uint8Array[] = Array.from({ length: 8 }, (_, i) => Uint8Array.from({ length: i === 0 ? 0 : 37 * i }, (_, j) => (i * 31 + j) & 0xff));

type Op =
  | { readonly type: 'write'; readonly gap: number; readonly pages: ReadonlyArray<{ readonly pool: number; readonly asKey: boolean }> }
  | { readonly type: 'compactLast'; readonly keepLast: number }
  | { readonly type: 'compactMod'; readonly mod: number }
  | { readonly type: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('write' as const), gap: fc.integer({ min: 1, max: 3 }), pages: fc.array(fc.record({ pool: fc.integer({ min: 0, max: POOL.length - 1 }), asKey: fc.boolean() }), { maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('compactLast' as const), keepLast: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('compactMod' as const), mod: fc.integer({ min: 2, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'reopen' as const }) },
);

interface ModelTick {
  readonly meta: Uint8Array;
  readonly pages: readonly Uint8Array[];
}

async function runAgainstModel(ops: readonly Op[], open: () => Promise<SnapshotStore>, canReopen: boolean): Promise<void> {
  let store = await open();
  const model = new Map<number, ModelTick>();
  /** Keys the store returned for pool pages that some listed tick still holds. */
  const keyOf = new Map<number, PageKey>();
  let tick = 0;
  try {
    for (const op of ops) {
      if (op.type === 'write') {
        tick += op.gap;
        const liveKeys = new Set([...model.values()].flatMap((t) => t.pages.map((p) => POOL.indexOf(p))));
        const pages = op.pages.map(({ pool, asKey }) => (asKey && liveKeys.has(pool) && keyOf.has(pool) ? keyOf.get(pool)! : POOL[pool]!));
        const meta = Uint8Array.of(tick & 0xff, tick >> 8);
        const result = await store.writeTick({ tick, meta, pages });
        op.pages.forEach(({ pool }, i) => keyOf.set(pool, result.pageKeys[i]!));
        model.set(tick, { meta, pages: op.pages.map(({ pool }) => POOL[pool]!) });
      } else if (op.type === 'reopen') {
        if (!canReopen) continue;
        await store.close();
        store = await open();
      } else {
        const ticks = [...model.keys()];
        const keep = op.type === 'compactLast' ? (t: number) => ticks.indexOf(t) >= ticks.length - op.keepLast : (t: number) => t % op.mod === 0;
        const report = await store.compact(op.type === 'compactLast' ? { keepLast: op.keepLast } : { keep });
        expect(report.ticksDropped).toEqual(ticks.filter((t) => !keep(t)));
        for (const t of ticks) if (!keep(t)) model.delete(t);
      }
      expect(await store.listTicks()).toEqual([...model.keys()]);
    }
    for (const [t, expected] of model) {
      const back = await store.readTick(t);
      expect(back.meta).toEqual(expected.meta);
      expect(back.pages.map((p) => POOL.findIndex((q) => Buffer.compare(p, q) === 0))).toEqual(expected.pages.map((p) => POOL.indexOf(p)));
    }
    const stats = await store.stats();
    const distinct = new Set([...model.values()].flatMap((t) => t.pages.map((p) => POOL.indexOf(p))));
    expect(stats.pages).toBe(distinct.size);
    expect((await store.verify()).ok).toBe(true);
  } finally {
    await store.close();
  }
}

describe('stores equal a Map model', () => {
  it('memory store', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), (ops) => runAgainstModel(ops, async () => createMemorySnapshotStore(), false)),
      { numRuns: 150 },
    );
  });

  it('file store (tiny segments, reopen between steps)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 20 }), (ops) => {
        const dir = tempDir('snapshot-props-');
        return runAgainstModel(ops, () => openFileSnapshotStore(dir, { worker: false, segmentBytes: 600 }), true);
      }),
      { numRuns: 30 },
    );
  });
});
