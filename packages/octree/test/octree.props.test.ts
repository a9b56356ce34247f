/**
 * Property tests against a brute-force model: after any sequence of inserts, moves, removals,
 * bulk updates and rebalances, every box / radius / k-nearest query equals a linear scan and every
 * point sits in exactly one leaf whose box contains it. Tiny thresholds and capacities so splits,
 * merges, segment growth and compaction all happen. The seed is printed (FC_SEED reruns it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createOctree, type Octree } from '../src/index.js';
import { bruteBox, bruteRadius, dist2, expectConsistent, SEED, WORLD, type Model } from './helpers.js';

const CAP = 48;
// Integers hit split planes (50, 25, 12.5 …) and the world's faces; doubles hit everything else.
const coord = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(0, 50, 100, 99.99999999999999));
const point = fc.tuple(coord, coord, coord);
const id = fc.integer({ min: 0, max: CAP - 1 });

type Op =
  | { op: 'insert'; id: number; p: [number, number, number] }
  | { op: 'move'; id: number; p: [number, number, number] }
  | { op: 'remove'; id: number }
  | { op: 'update'; ps: Array<[number, number, number]>; jitter: boolean; chunkShift: number | null; evict: boolean; out: boolean[] }
  | { op: 'rebalance' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), id, p: point }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('move' as const), id, p: point }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), id }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('update' as const),
      ps: fc.array(point, { minLength: CAP, maxLength: CAP }),
      jitter: fc.boolean(),
      // Positions in equal chunks of 2^shift points (the engine's pages), or one flat array.
      chunkShift: fc.option(fc.integer({ min: 0, max: 5 })),
      // With an evict callback, some points leave the world box (or become NaN).
      evict: fc.boolean(),
      out: fc.array(fc.boolean(), { minLength: CAP, maxLength: CAP }).map((a) => a.map((o, i) => o && i % 3 === 0)),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ op: 'rebalance' as const }) },
);

const sorted = (a: readonly [number, number]): [number, number] => (a[0] <= a[1] ? [a[0], a[1]] : [a[1], a[0]]);
interface Query {
  xs: [number, number];
  ys: [number, number];
  zs: [number, number];
  c: [number, number, number];
  r: number;
  k: number;
}
const queryArb: fc.Arbitrary<Query> = fc.record({
  xs: fc.tuple(coord, coord).map(sorted),
  ys: fc.tuple(coord, coord).map(sorted),
  zs: fc.tuple(coord, coord).map(sorted),
  c: point,
  r: fc.oneof(fc.double({ min: 0, max: 80, noNaN: true }), fc.integer({ min: 0, max: 60 })),
  k: fc.integer({ min: 1, max: CAP + 2 }),
});

function apply(tree: Octree, model: Model, op: Op): void {
  switch (op.op) {
    case 'insert':
      if (model.has(op.id)) tree.move(op.id, ...op.p);
      else tree.insert(op.id, ...op.p);
      model.set(op.id, op.p);
      return;
    case 'move':
      if (!model.has(op.id)) return expect(() => tree.move(op.id, ...op.p)).toThrow(/not in the index/);
      tree.move(op.id, ...op.p);
      model.set(op.id, op.p);
      return;
    case 'remove':
      expect(tree.remove(op.id)).toBe(model.delete(op.id));
      return;
    case 'update': {
      const positions = new Float64Array(CAP * 3);
      const leaving: number[] = [];
      for (let i = 0; i < CAP; i++) {
        const old = model.get(i);
        // Jitter keeps most points in their leaf (the in-place path); otherwise they jump anywhere.
        const p = op.ps[i]!;
        let next: [number, number, number] = old && op.jitter ? [(old[0] * 9 + p[0]) / 10, (old[1] * 9 + p[1]) / 10, (old[2] * 9 + p[2]) / 10] : p;
        if (op.evict && op.out[i]) next = [[-1e-9, p[1], p[2]], [p[0], 100.00000000000001, p[2]], [p[0], p[1], NaN]][i % 3]! as [number, number, number];
        positions.set(next, i * 3);
        if (!old) continue;
        if (op.evict && op.out[i]) {
          model.delete(i);
          leaving.push(i);
        } else model.set(i, next);
      }
      const source = op.chunkShift === null ? positions : chunksOf(positions, op.chunkShift);
      if (!op.evict) return void tree.update(source);
      const evicted: number[] = [];
      tree.update(source, (id, x, y, z) => {
        evicted.push(id);
        expect([x, y, z]).toEqual(Array.from(positions.subarray(id * 3, id * 3 + 3)));
      });
      expect(evicted.sort((a, b) => a - b)).toEqual(leaving);
      return;
    }
    case 'rebalance':
      tree.rebalance();
      return;
  }
}

/** `positions` cut into chunks of 2^shift points, the last one short. */
function chunksOf(positions: Float64Array, shift: number): { chunks: Float64Array[]; shift: number } {
  const chunks: Float64Array[] = [];
  for (let at = 0; at < positions.length; at += 3 * 2 ** shift) chunks.push(positions.slice(at, at + 3 * 2 ** shift));
  return { chunks, shift };
}

function checkQueries(tree: Octree, model: Model, q: Query): void {
  const box = tree.queryBox(q.xs[0], q.ys[0], q.zs[0], q.xs[1], q.ys[1], q.zs[1]).sort((a, b) => a - b);
  expect(box).toEqual(bruteBox(model, q.xs[0], q.ys[0], q.zs[0], q.xs[1], q.ys[1], q.zs[1]));
  const [cx, cy, cz] = q.c;
  expect(tree.queryRadius(cx, cy, cz, q.r).sort((a, b) => a - b)).toEqual(bruteRadius(model, cx, cy, cz, q.r));
  // k-nearest: same distances as the k smallest of a scan (ties may pick different ids).
  const near = tree.nearest(cx, cy, cz, q.k);
  const all = [...model.keys()].map((i) => dist2(model, i, cx, cy, cz)).sort((a, b) => a - b);
  expect(near.map((i) => dist2(model, i, cx, cy, cz))).toEqual(all.slice(0, q.k));
  expect(new Set(near).size).toBe(near.length);
  const within = tree.nearest(cx, cy, cz, q.k, q.r);
  expect(within.map((i) => dist2(model, i, cx, cy, cz))).toEqual(all.filter((d) => d <= q.r * q.r).slice(0, q.k));
  // Truncation: the count is the full count, the prefix written is part of the answer.
  const out = new Int32Array(2);
  const n = tree.queryRadiusInto(cx, cy, cz, q.r, out);
  expect(n).toBe(bruteRadius(model, cx, cy, cz, q.r).length);
  for (let i = 0; i < Math.min(n, 2); i++) expect(model.has(out[i]!)).toBe(true);
}

describe('octree against brute force', () => {
  it('answers every query like a linear scan, after any sequence of updates', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 60 }),
        fc.array(queryArb, { minLength: 1, maxLength: 4 }),
        fc.record({ splitAbove: fc.integer({ min: 2, max: 8 }), small: fc.boolean(), load: fc.constantFrom('count' as const, 'heat' as const) }),
        (ops, queries, cfg) => {
          const tree = createOctree({
            capacity: CAP,
            bounds: WORLD,
            splitAbove: cfg.splitAbove,
            mergeBelow: 1,
            maxDepth: 6,
            load: cfg.load,
            // Small: few node blocks (splits get refused) and few item slots (compaction runs).
            ...(cfg.small ? { maxNodes: 25, itemCapacity: CAP + 64 } : {}),
          });
          const model: Model = new Map();
          for (const op of ops) {
            apply(tree, model, op);
            if (op.op === 'rebalance' && cfg.load === 'heat') for (const p of tree.partitions()) tree.setHeat(p.id, p.actors * 1.5);
          }
          expectConsistent(tree, model);
          for (const q of queries) checkQueries(tree, model, q);
          tree.rebalance();
          expectConsistent(tree, model);
          for (const q of queries) checkQueries(tree, model, q);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('bulk-loads like per-point inserts: insertMany into an empty tree, rebalance, then any sequence', () => {
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: CAP }),
        fc.array(opArb, { maxLength: 20 }),
        fc.array(queryArb, { minLength: 1, maxLength: 4 }),
        fc.record({ splitAbove: fc.integer({ min: 1, max: 8 }), maxDepth: fc.integer({ min: 0, max: 12 }), small: fc.boolean() }),
        (points, ops, queries, cfg) => {
          const tree = createOctree({
            capacity: CAP,
            bounds: WORLD,
            splitAbove: cfg.splitAbove,
            mergeBelow: 0,
            maxDepth: cfg.maxDepth,
            ...(cfg.small ? { maxNodes: 25, itemCapacity: CAP + 64 } : {}),
          });
          const positions = new Float64Array(points.length * 3);
          const model: Model = new Map();
          points.forEach((p, i) => {
            positions.set(p, i * 3);
            model.set(i, p);
          });
          tree.insertMany(positions, points.length);
          expectConsistent(tree, model);
          tree.rebalance();
          expectConsistent(tree, model);
          for (const q of queries) checkQueries(tree, model, q);
          for (const op of ops) apply(tree, model, op);
          tree.rebalance();
          expectConsistent(tree, model);
          for (const q of queries) checkQueries(tree, model, q);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('round-trips insert/remove: removing everything leaves an empty index that merges back', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(id, point), { selector: ([i]) => i, maxLength: CAP }), (points) => {
        const tree = createOctree({ capacity: CAP, bounds: WORLD, splitAbove: 3, mergeBelow: 1 });
        for (const [i, p] of points) tree.insert(i, ...p);
        tree.rebalance();
        for (const [i] of points) expect(tree.remove(i)).toBe(true);
        expect(tree.size).toBe(0);
        tree.rebalance();
        expect(tree.partitionCount).toBe(1);
        expect(tree.queryBox(0, 0, 0, 100, 100, 100)).toEqual([]);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
