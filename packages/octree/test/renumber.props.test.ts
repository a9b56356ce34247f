/**
 * `renumber` against a brute-force model: after any history, a random permutation of the ids
 * leaves the tree's shape, partitions, heats and positions as they were, and every query answers
 * like a scan over the renumbered points; later updates in the new numbering work. A bad map
 * throws before changing anything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createOctree, isOctreeError, octreeFrom, type Octree, type OctreePartition } from '../src/index.js';
import { bruteBox, bruteRadius, dist2, expectConsistent, SEED, WORLD, type Model } from './helpers.js';

const CAP = 40;
const coord = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(0, 50, 100));
const point = fc.tuple(coord, coord, coord);
const id = fc.integer({ min: 0, max: CAP - 1 });

type Op =
  | { op: 'insert'; id: number; p: [number, number, number] }
  | { op: 'remove'; id: number }
  | { op: 'update'; ps: Array<[number, number, number]>; jitter: boolean }
  | { op: 'rebalance' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('insert' as const), id, p: point }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), id }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('update' as const), ps: fc.array(point, { minLength: CAP, maxLength: CAP }), jitter: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ op: 'rebalance' as const }) },
);

/** Positions of the model's points by id (others at the origin). */
function positionsOf(model: Model): Float64Array {
  const out = new Float64Array(CAP * 3);
  for (const [i, p] of model) out.set(p, i * 3);
  return out;
}

function apply(tree: Octree, model: Model, op: Op): void {
  if (op.op === 'insert') {
    if (model.has(op.id)) tree.move(op.id, ...op.p);
    else tree.insert(op.id, ...op.p);
    model.set(op.id, op.p);
  } else if (op.op === 'remove') {
    expect(tree.remove(op.id)).toBe(model.delete(op.id));
  } else if (op.op === 'update') {
    for (const [i, old] of model) {
      const p = op.ps[i]!;
      model.set(i, op.jitter ? [(old[0] * 9 + p[0]) / 10, (old[1] * 9 + p[1]) / 10, (old[2] * 9 + p[2]) / 10] : p);
    }
    tree.update(positionsOf(model));
  } else {
    tree.rebalance();
  }
}

function expectQueries(tree: Octree, model: Model, q: readonly number[]): void {
  const [x0, y0, z0, x1, y1, z1, r] = q as [number, number, number, number, number, number, number];
  const [ax, bx] = x0 <= x1 ? [x0, x1] : [x1, x0];
  const [ay, by] = y0 <= y1 ? [y0, y1] : [y1, y0];
  const [az, bz] = z0 <= z1 ? [z0, z1] : [z1, z0];
  expect(tree.queryBox(ax, ay, az, bx, by, bz).sort((a, b) => a - b)).toEqual(bruteBox(model, ax, ay, az, bx, by, bz));
  expect(tree.queryRadius(x0, y0, z0, r).sort((a, b) => a - b)).toEqual(bruteRadius(model, x0, y0, z0, r));
  const near = tree.nearest(x0, y0, z0, 5);
  const all = [...model.keys()].map((i) => dist2(model, i, x0, y0, z0)).sort((a, b) => a - b);
  expect(near.map((i) => dist2(model, i, x0, y0, z0))).toEqual(all.slice(0, 5));
}

/** Everything about the tree that renumber must keep, with ids mapped through `map`. */
function snapshot(tree: Octree, map: (id: number) => number): { parts: OctreePartition[]; slots: number[]; positions: number[][] } {
  const parts = tree.partitions();
  const slots: number[] = [];
  const positions: number[][] = [];
  const at = new Float64Array(3);
  for (const p of parts) {
    for (let k = p.start; k < p.start + p.actors; k++) {
      slots.push(map(tree.ids[k]!));
      tree.positionInto(tree.ids[k]!, at);
      positions.push([...at]);
    }
  }
  return { parts, slots, positions };
}

describe('renumber', () => {
  it('keeps leaves, partitions and positions; queries answer in the new ids; later updates work', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 40 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: CAP, maxLength: CAP }),
        fc.array(fc.tuple(coord, coord, coord, coord, coord, coord, fc.integer({ min: 0, max: 60 })), { minLength: 1, maxLength: 3 }),
        fc.record({ splitAbove: fc.integer({ min: 2, max: 6 }), load: fc.constantFrom('count' as const, 'heat' as const), bulk: fc.boolean() }),
        fc.array(point, { minLength: CAP, maxLength: CAP }),
        (ops, sortKeys, queries, cfg, jitter) => {
          const tree = createOctree({ capacity: CAP, bounds: WORLD, splitAbove: cfg.splitAbove, mergeBelow: 1, maxDepth: 6, load: cfg.load });
          let model: Model = new Map();
          if (cfg.bulk) {
            // A bulk load not yet rebalanced: its by-id sort must not survive the renumbering.
            for (let i = 0; i < CAP / 2; i++) model.set(i, jitter[i]!);
            tree.insertMany(positionsOf(model), CAP / 2);
          } else {
            for (const op of ops) apply(tree, model, op);
          }
          if (cfg.load === 'heat') for (const p of tree.partitions()) tree.setHeat(p.id, p.actors * 1.5 + 1);
          // A random permutation of [0, CAP); ids not in the index map to junk (ignored).
          const perm = Array.from({ length: CAP }, (_, i) => i).sort((a, b) => sortKeys[a]! - sortKeys[b]! || a - b);
          const newIdOf = new Int32Array(CAP);
          for (let i = 0; i < CAP; i++) newIdOf[i] = model.has(i) ? perm[i]! : i % 2 === 0 ? -7 : CAP + 3;
          const before = snapshot(tree, (i) => newIdOf[i]!);
          const oldPartition = [...model.keys()].map((i) => [newIdOf[i]!, tree.partitionOf(i)] as const);
          const size = tree.size;
          tree.renumber(newIdOf);
          model = new Map([...model].map(([i, p]) => [newIdOf[i]!, p]));
          const after = snapshot(tree, (i) => i);
          expect(after).toEqual(before);
          expect(tree.size).toBe(size);
          for (const [n, part] of oldPartition) expect(tree.partitionOf(n)).toBe(part);
          for (let i = 0; i < CAP; i++) expect(tree.has(i)).toBe(model.has(i));
          expectConsistent(tree, model);
          for (const q of queries) expectQueries(tree, model, q);
          tree.rebalance(); // straight after the renumbering (a bulk load's by-id sort is stale)
          expectConsistent(tree, model);
          // A reader over the same buffer sees the new ids.
          const reader = octreeFrom(tree.buffer);
          expect(reader.queryBox(0, 0, 0, 100, 100, 100).sort((a, b) => a - b)).toEqual([...model.keys()].sort((a, b) => a - b));
          // Later: positions in the new numbering, and a rebalance.
          for (const [i, p] of model) model.set(i, [(p[0] * 3 + jitter[i]![0]) / 4, (p[1] * 3 + jitter[i]![1]) / 4, (p[2] * 3 + jitter[i]![2]) / 4]);
          tree.update(positionsOf(model));
          tree.rebalance();
          expectConsistent(tree, model);
          for (const q of queries) expectQueries(tree, model, q);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('throws OCTREE_INVALID_ARGUMENT before changing anything on a duplicate, out-of-range or missing new id', () => {
    const tree = createOctree({ capacity: 8, bounds: WORLD, splitAbove: 2, mergeBelow: 1 });
    const points: Array<[number, number, number]> = [[1, 1, 1], [90, 90, 90], [10, 80, 30], [60, 5, 70], [55, 55, 55]];
    points.forEach((p, i) => tree.insert(i + 2, ...p)); // ids 2..6 indexed; 0, 1, 7 not
    tree.rebalance();
    const identity = (i: number): number => i;
    const before = snapshot(tree, identity);
    const leafOf = Array.from({ length: 8 }, (_, i) => tree.partitionOf(i));
    const bad = [
      [0, 0, 3, 2, 4, 5, 5, 0], // 5 and 6 both → 5
      [0, 0, 3, 2, 4, 5, 8, 0], // 8 ≥ capacity
      [0, 0, 3, 2, -1, 5, 6, 0], // negative
      [0, 0, 3, 2, 4], // id 5 and 6 have no entry
    ];
    for (const map of bad) {
      let error: unknown;
      try {
        tree.renumber(Int32Array.from(map));
      } catch (e) {
        error = e;
      }
      expect(isOctreeError(error, 'OCTREE_INVALID_ARGUMENT')).toBe(true);
      expect(snapshot(tree, identity)).toEqual(before);
      expect(Array.from({ length: 8 }, (_, i) => tree.partitionOf(i))).toEqual(leafOf);
    }
    expect(() => tree.renumber(Int32Array.from([0, 0, 3, 2, 4, 5, 5, 0]))).toThrow(/ids 5 and 6 both map to 5/);
    // Unindexed ids may map anywhere, duplicates included.
    tree.renumber(Int32Array.from([7, 7, 3, 2, 4, 5, 6, 7]));
    expect(tree.partitionOf(3)).toBe(leafOf[2]);
    expect(tree.partitionOf(2)).toBe(leafOf[3]);
  });

  it('renumberSome: a permutation of a window of ids (indexed or not) moves their labels only; every other id stays', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 40 }),
        fc.integer({ min: 0, max: CAP - 1 }),
        fc.integer({ min: 1, max: CAP }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: CAP, maxLength: CAP }),
        fc.array(fc.tuple(coord, coord, coord, coord, coord, coord, fc.integer({ min: 0, max: 60 })), { minLength: 1, maxLength: 3 }),
        (ops, first, width, sortKeys, queries) => {
          const tree = createOctree({ capacity: CAP, bounds: WORLD, splitAbove: 3, mergeBelow: 1, maxDepth: 6 });
          let model: Model = new Map();
          for (const op of ops) apply(tree, model, op);
          const end = Math.min(CAP, first + width);
          const window = Array.from({ length: end - first }, (_, i) => first + i);
          const shuffled = [...window].sort((a, b) => sortKeys[a]! - sortKeys[b]! || a - b);
          const newIdOf = (i: number): number => (i >= first && i < end ? shuffled[i - first]! : i);
          const before = snapshot(tree, newIdOf);
          tree.renumberSome(Int32Array.from(window), Int32Array.from(shuffled), window.length);
          model = new Map([...model].map(([i, p]) => [newIdOf(i), p]));
          expect(snapshot(tree, (i) => i)).toEqual(before);
          for (let i = 0; i < CAP; i++) expect(tree.has(i)).toBe(model.has(i));
          expectConsistent(tree, model);
          for (const q of queries) expectQueries(tree, model, q);
          tree.update(positionsOf(model));
          tree.rebalance();
          expectConsistent(tree, model);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('renumberSome throws OCTREE_INVALID_ARGUMENT before changing anything onto an id that stays, twice onto one, or out of range', () => {
    const tree = createOctree({ capacity: 8, bounds: WORLD, splitAbove: 2, mergeBelow: 1 });
    [[1, 1, 1], [90, 90, 90], [10, 80, 30]].forEach((p, i) => tree.insert(i + 2, p[0]!, p[1]!, p[2]!)); // ids 2, 3, 4
    const before = snapshot(tree, (i) => i);
    for (const [from, to, message] of [
      [[2], [3], /to\[0\] = 3 is an indexed id that does not move/],
      [[2, 3], [5, 5], /two ids move to 5/],
      [[2], [9], /outside \[0, 8\)/],
      [[9], [2], /from\[0\] = 9 is outside/],
    ] as const) {
      expect(() => tree.renumberSome(Int32Array.from(from), Int32Array.from(to), from.length)).toThrowError(expect.objectContaining({ code: 'OCTREE_INVALID_ARGUMENT', message: expect.stringMatching(message) }));
      expect(snapshot(tree, (i) => i)).toEqual(before);
    }
    tree.renumberSome(Int32Array.from([2, 5]), Int32Array.from([5, 2]), 2); // 5 was free
    expect(tree.has(5) && !tree.has(2)).toBe(true);
  });
});
