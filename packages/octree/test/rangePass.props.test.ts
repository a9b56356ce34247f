/**
 * The split update (`OctreeRangePass.pass` over disjoint id ranges, then `updateListed`) against a
 * brute-force model and against `update`: queries between the passes and `updateListed` still
 * answer on the old positions (the passes write the back copy); after random moves (teleports,
 * jitters, points leaving the world box), `updateListed`, removals and inserts after it, and
 * rebalances, every point is in exactly one leaf whose box holds it and every query equals a scan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createOctree, octreeFrom, OctreeRangePass, type Octree } from '../src/index.js';
import { bruteBox, bruteRadius, expectConsistent, SEED, WORLD, type Model } from './helpers.js';

const CAP = 48;
const coord = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(0, 50, 100));
const point = fc.tuple(coord, coord, coord);
/** Mostly inside the world box; sometimes outside it or NaN (evicted). */
const wild = fc.oneof({ weight: 8, arbitrary: point }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom(-5, 130, Number.NaN), coord, coord) });

interface Step {
  /** New position per id (jittered towards it, or teleported). */
  readonly to: Array<[number, number, number]>;
  readonly jitter: boolean;
  /** Where the ids are cut into ranges (each range is one pass). */
  readonly cuts: number[];
  /** Ids removed and ids inserted after `updateListed` (the engine's spawns and despawns). */
  readonly removes: number[];
  readonly inserts: Array<[number, [number, number, number]]>;
  readonly rebalance: boolean;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  to: fc.array(wild, { minLength: CAP, maxLength: CAP }),
  jitter: fc.boolean(),
  cuts: fc.uniqueArray(fc.integer({ min: 1, max: CAP - 1 }), { maxLength: 5 }),
  removes: fc.uniqueArray(fc.integer({ min: 0, max: CAP - 1 }), { maxLength: 4 }),
  inserts: fc.array(fc.tuple(fc.integer({ min: 0, max: CAP - 1 }), point), { maxLength: 4 }),
  rebalance: fc.boolean(),
});

function expectQueries(tree: Octree, model: Model, q: readonly [number, number, number, number]): void {
  const [x, y, z, r] = q;
  expect(tree.queryBox(x - r, y - r, z - r, x + r, y + r, z + r).sort((a, b) => a - b)).toEqual(bruteBox(model, x - r, y - r, z - r, x + r, y + r, z + r));
  expect(tree.queryRadius(x, y, z, r).sort((a, b) => a - b)).toEqual(bruteRadius(model, x, y, z, r));
}

describe('split update: passes over id ranges, then updateListed', () => {
  it('keeps every point in one leaf holding it, queries equal to a scan, and agrees with update', () => {
    fc.assert(
      fc.property(
        fc.array(point, { minLength: CAP, maxLength: CAP }),
        fc.array(stepArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(coord, coord, coord, fc.integer({ min: 0, max: 60 })), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 2, max: 6 }),
        (start, steps, queries, splitAbove) => {
          const options = { capacity: CAP, bounds: WORLD, splitAbove, mergeBelow: 1, maxDepth: 6 };
          const tree = createOctree(options);
          const twin = createOctree(options); // the same history through `update`
          const positions = new Float64Array(CAP * 3);
          start.forEach((p, i) => positions.set(p, i * 3));
          tree.insertMany(positions, CAP);
          twin.insertMany(positions, CAP);
          const model: Model = new Map(start.map((p, i) => [i, p] as const));
          const pass = new OctreeRangePass(tree.buffer);
          const reader = octreeFrom(tree.buffer); // its own views, as in another thread: it must follow the swaps
          const listed = new Int32Array(CAP);
          for (const step of steps) {
            for (const [i, old] of model) {
              const p = step.to[i]!;
              const next: [number, number, number] = step.jitter ? [(old[0] * 3 + p[0]) / 4, (old[1] * 3 + p[1]) / 4, (old[2] * 3 + p[2]) / 4] : p;
              positions.set(next, i * 3);
            }
            // The passes, each over its own id range, in an order unrelated to the ids.
            const bounds = [0, ...[...step.cuts].sort((a, b) => a - b), CAP];
            let count = 0;
            for (let r = bounds.length - 2; r >= 0; r--) {
              const first = bounds[r]!;
              count = pass.pass(positions.subarray(first * 3, bounds[r + 1]! * 3), first, bounds[r + 1]! - first, listed, count);
            }
            // Until the writer's half, queries still answer on the old positions (a reader in
            // another thread would be querying while the passes run).
            for (const q of queries) expectQueries(tree, model, q);
            const evictedSplit: number[] = [];
            const evictedTwin: number[] = [];
            const moved = tree.updateListed(positions, listed, count, (id) => evictedSplit.push(id));
            const movedTwin = twin.update(positions, (id) => evictedTwin.push(id));
            expect(moved).toBe(movedTwin);
            expect(evictedSplit.sort((a, b) => a - b)).toEqual(evictedTwin.sort((a, b) => a - b));
            // Then the writer removes and inserts (the engine's spawns and despawns).
            for (const id of step.removes) {
              tree.remove(id);
              twin.remove(id);
            }
            for (const [id, p] of step.inserts) {
              if (tree.has(id)) continue;
              positions.set(p, id * 3);
              tree.insert(id, ...p);
              twin.insert(id, ...p);
            }
            model.clear();
            for (let id = 0; id < CAP; id++) if (tree.has(id)) model.set(id, [positions[id * 3]!, positions[id * 3 + 1]!, positions[id * 3 + 2]!]);
            for (let id = 0; id < CAP; id++) expect(twin.has(id)).toBe(tree.has(id));
            if (step.rebalance) {
              tree.rebalance();
              twin.rebalance();
            }
            expectConsistent(tree, model);
            for (const q of queries) expectQueries(tree, model, q);
            for (const [x, y, z, r] of queries) expect(reader.queryRadius(x, y, z, r).sort((a, b) => a - b)).toEqual(bruteRadius(model, x, y, z, r));
            expect(tree.partitions().map((p) => [p.id, p.actors])).toEqual(twin.partitions().map((p) => [p.id, p.actors]));
          }
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('rejects a buffer that is not an octree', () => {
    expect(() => new OctreeRangePass(new ArrayBuffer(16))).toThrow(/too small|not an octree/);
  });
});
