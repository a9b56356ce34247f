/**
 * `mortonOrder` against a brute-force key (20 exact halvings per axis of [min, nextUp(max)), octant
 * bits x = 0, y = 1, z = 2): a stable permutation sorted by that key; and on a built tree, ids
 * renumbered in that order visit the leaves in `partitions()` order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createOctree, isOctreeError, MORTON_LEVELS, mortonOrder, mortonScratchLength } from '../src/index.js';
import { nextUp } from '../src/layout.js';
import { SEED, WORLD } from './helpers.js';

type Bounds = { min: readonly [number, number, number]; max: readonly [number, number, number] };

/** The model: halve the axis [min, nextUp(max)) MORTON_LEVELS times (clamped; NaN → min). */
function axisBits(x: number, min: number, max: number): number {
  const v = Number.isNaN(x) ? min : Math.min(Math.max(x, min), max);
  let lo = min, hi = nextUp(max), q = 0;
  for (let l = 0; l < MORTON_LEVELS; l++) {
    const mid = lo / 2 + hi / 2;
    q = 2 * q + (v >= mid ? 1 : 0);
    if (v >= mid) lo = mid;
    else hi = mid;
  }
  return q;
}

function bruteKey(positions: Float64Array, id: number, b: Bounds): bigint {
  const q = [0, 1, 2].map((a) => axisBits(positions[id * 3 + a]!, b.min[a]!, b.max[a]!));
  let key = 0n;
  for (let l = MORTON_LEVELS - 1; l >= 0; l--) {
    const octant = ((q[0]! >> l) & 1) | (((q[1]! >> l) & 1) << 1) | (((q[2]! >> l) & 1) << 2);
    key = key * 8n + BigInt(octant);
  }
  return key;
}

/** A split plane of the axis [min, nextUp(max)) (`levels` halvings along `path`'s bits), moved by `ulps` doubles. */
function plane(min: number, max: number, levels: number, path: number, ulps: number): number {
  let lo = min, hi = nextUp(max);
  for (let l = 0; l < levels; l++) {
    const mid = lo / 2 + hi / 2;
    if ((path >> l) & 1) lo = mid;
    else hi = mid;
  }
  let v = lo / 2 + hi / 2;
  for (let u = 0; u < Math.abs(ulps); u++) v = ulps > 0 ? nextUp(v) : -nextUp(-v);
  return v;
}

const BOUNDS: Bounds[] = [WORLD, { min: [-3.5, 0.1, 10], max: [7.25, 0.1000001, 1e6] }];

describe('mortonOrder', () => {
  it('is a stable permutation sorted by the Morton key', () => {
    // Clustered, duplicated, on-plane, outside and NaN coordinates, so every digit path runs.
    const coord = fc.oneof(
      fc.double({ min: -10, max: 1e6 + 10 }),
      fc.integer({ min: 0, max: 100 }),
      fc.double({ min: 0, max: 1e-4, noNaN: true }),
      fc.constantFrom(0, 50, 100, 0.1, 7.25, -3.5, Number.NaN, Infinity),
    );
    // …and split planes of the chosen box, give or take 2 ulps (where quantising could disagree).
    const onPlane = fc.tuple(fc.integer({ min: 0, max: MORTON_LEVELS - 1 }), fc.integer({ min: 0, max: 2 ** 20 - 1 }), fc.integer({ min: -2, max: 2 }));
    const spec = fc.oneof(coord, onPlane);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(spec, spec, spec), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 0, max: BOUNDS.length - 1 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 400, maxLength: 400 }),
        fc.boolean(),
        (points, which, shuffle, given) => {
          const b = BOUNDS[which]!;
          const n = points.length;
          const positions = new Float64Array(n * 3);
          points.forEach((p, i) => p.forEach((c, a) => (positions[i * 3 + a] = typeof c === 'number' ? c : plane(b.min[a]!, b.max[a]!, ...c))));
          // Ids in a random order; only the first `count` are sorted.
          const ids = Int32Array.from(Array.from({ length: n }, (_, i) => i).sort((a, c) => shuffle[a]! - shuffle[c]! || a - c));
          const count = Math.max(0, n - (n % 3));
          const out = given ? new Int32Array(count + 2) : undefined;
          const result = mortonOrder(positions, ids, count, b, out, given ? new Int32Array(mortonScratchLength(count)) : undefined);
          if (out) expect(result).toBe(out);
          const sorted = [...result.subarray(0, count)];
          expect([...sorted].sort((a, c) => a - c)).toEqual([...ids.subarray(0, count)].sort((a, c) => a - c));
          const rank = new Map([...ids.subarray(0, count)].map((id, i) => [id, i]));
          for (let i = 1; i < count; i++) {
            const k0 = bruteKey(positions, sorted[i - 1]!, b), k1 = bruteKey(positions, sorted[i]!, b);
            expect(k0 <= k1).toBe(true);
            if (k0 === k1) expect(rank.get(sorted[i - 1]!)! < rank.get(sorted[i]!)!).toBe(true);
          }
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('orders ids so that they walk the leaves in partitions() order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (seed, moved) => {
        let s = seed;
        const rnd = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const n = 3000;
        const positions = new Float64Array(n * 3);
        for (let i = 0; i < n; i++) {
          const kind = i % 4;
          for (let a = 0; a < 3; a++) {
            // uniform; on split planes ± 1 ulp; a dense cluster (leaves ~14 deep); one across the middle planes
            const v =
              kind === 0
                ? rnd() * 100
                : kind === 1
                  ? plane(0, 100, Math.floor(rnd() * 16), Math.floor(rnd() * 2 ** 16), Math.floor(rnd() * 3) - 1)
                  : kind === 2
                    ? 37.1 + rnd() * 1e-3
                    : plane(0, 100, 0, 0, 0) + (rnd() - 0.5) * 1e-3;
            positions[i * 3 + a] = v;
          }
        }
        const tree = createOctree({ capacity: n, bounds: WORLD, splitAbove: 8, mergeBelow: 2 });
        tree.insertMany(positions, n);
        tree.rebalance();
        if (moved) {
          for (let i = 0; i < n * 3; i += 7) positions[i] = Math.min(100, Math.max(0, positions[i]! + (rnd() - 0.5) * 20));
          tree.update(positions);
          tree.rebalance();
        }
        const ids = Int32Array.from({ length: n }, (_, i) => i);
        const order = mortonOrder(positions, ids, n, WORLD);
        const newIdOf = new Int32Array(n);
        order.forEach((id, r) => (newIdOf[id] = r));
        tree.renumber(newIdOf);
        const parts = tree.partitions();
        expect(Math.max(...parts.map((p) => p.depth))).toBeGreaterThan(10);
        const index = new Map(parts.map((p, i) => [p.id, i]));
        let last = -1;
        for (let r = 0; r < n; r++) {
          const leaf = index.get(tree.partitionOf(r))!;
          expect(leaf).toBeGreaterThanOrEqual(last);
          last = leaf;
        }
      }),
      { seed: SEED, numRuns: 10 },
    );
  });

  it('keeps input order when every key is equal, and sorts nothing for count 0', () => {
    const positions = new Float64Array(300).fill(5);
    const ids = Int32Array.from({ length: 100 }, (_, i) => 99 - i);
    expect([...mortonOrder(positions, ids, 100, WORLD)]).toEqual([...ids]);
    expect(mortonOrder(positions, ids, 0, WORLD).length).toBe(0);
  });

  it('throws OCTREE_INVALID_ARGUMENT on bad arguments', () => {
    const positions = new Float64Array(30);
    const ids = Int32Array.from({ length: 10 }, (_, i) => i);
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error) {
        return isOctreeError(error) ? error.code : 'other';
      }
      return undefined;
    };
    const bad = 'OCTREE_INVALID_ARGUMENT';
    expect(code(() => mortonOrder(positions, ids, 11, WORLD))).toBe(bad);
    expect(code(() => mortonOrder(positions, ids, -1, WORLD))).toBe(bad);
    expect(code(() => mortonOrder(positions, ids, 10, { min: [0, 0, 0], max: [1, 0, 1] }))).toBe(bad);
    expect(code(() => mortonOrder(positions, ids, 10, { min: [0, 0, 0], max: [1, 1, Infinity] }))).toBe(bad);
    expect(code(() => mortonOrder(positions, ids, 10, WORLD, new Int32Array(9)))).toBe(bad);
    expect(code(() => mortonOrder(positions, ids, 10, WORLD, undefined, new Int32Array(49)))).toBe(bad);
    expect(code(() => mortonOrder(positions, ids, 10, WORLD, ids))).toBe(bad);
    expect(code(() => mortonOrder(positions, Int32Array.from([0, 10]), 2, WORLD))).toBe(bad);
    expect(code(() => mortonOrder(positions, Int32Array.from([-1]), 1, WORLD))).toBe(bad);
    expect(code(() => mortonOrder(positions, ids, 10, WORLD, new Int32Array(10), new Int32Array(50)))).toBeUndefined();
  });
});
