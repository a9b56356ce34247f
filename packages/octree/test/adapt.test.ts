/**
 * Adaptivity: hot regions split, cold regions merge back, no flapping at a steady or oscillating
 * load on the threshold, stable partition ids, split/merge events, heat-driven splits.
 */
import { describe, expect, it } from 'vitest';

import { createOctree, type PartitionEvent } from '../src/index.js';
import { expectConsistent, WORLD, type Model } from './helpers.js';

const small = () => createOctree({ capacity: 4096, bounds: WORLD, splitAbove: 64, mergeBelow: 16 });

/** n points in a cube of side 2 around (c, c, c), deterministic. */
function cluster(n: number, c: number, first = 0): Float64Array {
  const out = new Float64Array((first + n) * 3);
  for (let i = 0; i < n; i++) {
    const t = i / n;
    out.set([c + Math.sin(i * 12.9898) * 1, c + Math.sin(i * 78.233) * 1, c + t * 2 - 1], (first + i) * 3);
  }
  return out;
}

describe('split and merge', () => {
  it('partitionSpan gives where a partition\'s ids lie now, and false once it split or merged away', () => {
    const tree = small();
    const pos = cluster(1000, 20);
    tree.insertMany(pos, 1000);
    const span = new Int32Array(2);
    const root = tree.partitions()[0]!.id;
    expect(tree.partitionSpan(root, span)).toBe(true);
    expect([...span]).toEqual([tree.partitions()[0]!.start, 1000]);
    const events = tree.rebalance();
    for (const p of tree.partitions()) {
      expect(tree.partitionSpan(p.id, span)).toBe(true);
      expect([...span]).toEqual([p.start, p.actors]);
      for (let k = p.start; k < p.start + p.actors; k++) expect(tree.partitionOf(tree.ids[k]!)).toBe(p.id);
    }
    // Ids retired by the splits name no leaf; an id never issued neither.
    const live = new Set(tree.partitions().map((p) => p.id));
    const retired = events.flatMap((e) => (e.type === 'split' ? [e.from] : [])).filter((id) => !live.has(id));
    for (const id of retired) expect(tree.partitionSpan(id, span)).toBe(false);
    expect(tree.partitionSpan(1e9, span)).toBe(false);
    for (let i = 0; i < 1000; i++) tree.remove(i);
    const merged = tree.rebalance().flatMap((e) => (e.type === 'merge' ? e.from.filter((id) => id !== e.into) : []));
    expect(merged.length).toBeGreaterThan(0);
    for (const id of merged) expect(tree.partitionSpan(id, span)).toBe(false);
  });

  it('splits a clustered hot region and merges it back when the cluster moves away', () => {
    const tree = small();
    tree.insertMany(cluster(1000, 20), 1000);
    const split = tree.rebalance();
    expect(split.every((e) => e.type === 'split')).toBe(true);
    const deep = tree.partitions().filter((p) => p.actors > 0);
    expect(Math.max(...deep.map((p) => p.depth))).toBeGreaterThan(2);
    for (const p of deep) expect(p.actors).toBeLessThanOrEqual(64);
    // The cluster moves to the opposite corner: the old region empties and merges back.
    tree.update(cluster(1000, 80));
    const events = tree.rebalance();
    expect(events.some((e) => e.type === 'merge')).toBe(true);
    expect(events.some((e) => e.type === 'split')).toBe(true);
    const near20 = tree.partitions().filter((p) => p.min.every((v, a) => v <= 20 && 20 < p.max[a]!));
    expect(near20).toHaveLength(1);
    expect(near20[0]!.depth).toBeLessThanOrEqual(1);
    // Nothing changes on the next passes: a steady load does not flap.
    expect(tree.rebalance()).toEqual([]);
    expect(tree.rebalance()).toEqual([]);
  });

  it('does not flap when the load oscillates across the high-water mark', () => {
    const tree = small();
    const positions = cluster(65, 30);
    tree.insertMany(positions, 64);
    expect(tree.rebalance()).toEqual([]); // 64 is not above 64
    tree.insert(64, positions[192]!, positions[193]!, positions[194]!);
    // 65 > 64: the leaf splits (and its fullest child again, while the tight cluster stays above 64).
    const first = tree.rebalance();
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((e) => e.type === 'split')).toBe(true);
    const log: PartitionEvent[] = [];
    for (let tick = 0; tick < 20; tick++) {
      if (tick % 2 === 0) tree.remove(64);
      else tree.insert(64, positions[192]!, positions[193]!, positions[194]!);
      log.push(...tree.rebalance());
    }
    // 64 ↔ 65 points stay far above mergeBelow = 16 and the leaves are already split: no events.
    expect(log).toEqual([]);
  });

  it('does not flap when the load oscillates across the low-water mark', () => {
    const tree = small();
    tree.insertMany(cluster(200, 30), 200);
    tree.rebalance();
    for (let i = 20; i < 200; i++) tree.remove(i); // 20 left: no merge yet (not below 16)
    const log: PartitionEvent[] = [...tree.rebalance()];
    const before = log.length;
    for (let i = 15; i < 20; i++) tree.remove(i); // 15 left: merges
    log.push(...tree.rebalance());
    expect(log.length).toBeGreaterThan(before);
    const afterMerge = log.length;
    for (let tick = 0; tick < 10; tick++) {
      const p = cluster(20, 30);
      if (tick % 2 === 0) for (let i = 15; i < 20; i++) tree.insert(i, p[i * 3]!, p[i * 3 + 1]!, p[i * 3 + 2]!);
      else for (let i = 15; i < 20; i++) tree.remove(i);
      log.push(...tree.rebalance());
    }
    expect(log.length).toBe(afterMerge); // 15 ↔ 20 points never reach 64 again
  });

  it('keeps partition ids stable across updates and names them in events', () => {
    const tree = small();
    const pos = cluster(1000, 50);
    tree.insertMany(pos, 1000);
    const first = tree.rebalance();
    const ids = tree.partitions().map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Every split keeps the parent's id on one child and names 7 fresh ones.
    for (const e of first) {
      expect(e.type).toBe('split');
      if (e.type === 'split') {
        expect(e.into).toHaveLength(8);
        expect(e.into).toContain(e.from);
      }
    }
    // Small moves that keep every point in its leaf: same ids, same membership.
    const before = tree.partitions();
    const member = new Map(Array.from({ length: 1000 }, (_, i) => [i, tree.partitionOf(i)]));
    tree.update(pos);
    expect(tree.rebalance()).toEqual([]);
    expect(tree.partitions().map((p) => p.id)).toEqual(before.map((p) => p.id));
    for (const [i, p] of member) expect(tree.partitionOf(i)).toBe(p);
    // A merge reports the 8 ids it retires and keeps one of them.
    for (let i = 0; i < 1000; i++) tree.remove(i);
    const merges = tree.rebalance();
    const live = new Set(tree.partitions().map((p) => p.id));
    for (const e of merges) if (e.type === 'merge') expect(e.from).toContain(e.into);
    expect(tree.partitionCount).toBe(1);
    expect(ids.filter((i) => live.has(i)).length).toBeLessThanOrEqual(1);
  });

  it('splits on fed-back heat in heat mode, regardless of point count', () => {
    const tree = createOctree({ capacity: 1000, bounds: WORLD, splitAbove: 10, mergeBelow: 2, load: 'heat' });
    for (let i = 0; i < 100; i++) tree.insert(i, (i % 10) * 10 + 5, Math.floor(i / 10) * 10 + 5, 50);
    expect(tree.rebalance().length).toBeGreaterThan(0); // unfed heat = point count = 100 > 10
    const cold = createOctree({ capacity: 1000, bounds: WORLD, splitAbove: 10, mergeBelow: 2, load: 'heat' });
    for (let i = 0; i < 100; i++) cold.insert(i, (i % 10) * 10 + 5, Math.floor(i / 10) * 10 + 5, 50);
    const [root] = cold.partitions();
    expect(cold.setHeat(root!.id, 5)).toBe(true);
    expect(cold.rebalance()).toEqual([]); // 100 points but heat 5
    expect(cold.partitions()[0]!.heat).toBe(5);
    cold.setHeat(root!.id, 50);
    const events = cold.rebalance();
    expect(events.length).toBeGreaterThan(0);
    const total = cold.partitions().reduce((s, p) => s + p.heat, 0);
    expect(total).toBeCloseTo(50); // heat is shared out by point count
    expect(cold.setHeat(-5, 1)).toBe(false);
  });

  it('places points exactly on split planes consistently (exact key path)', () => {
    const tree = createOctree({ capacity: 4096, bounds: WORLD, splitAbove: 4, mergeBelow: 1, maxDepth: 8 });
    const model: Model = new Map();
    // Planes of the first levels, computed the way splits halve boxes, and their neighbours.
    const planes: number[] = [];
    let lo = 0;
    let hi = tree.partitions()[0]!.max[0]!;
    hi = hi === 100 ? 100.00000000000001 : hi;
    for (let d = 0; d < 6; d++) {
      const mid = lo / 2 + hi / 2;
      planes.push(mid, mid - 1e-14, mid + 1e-14);
      hi = mid;
    }
    let id = 0;
    for (const x of planes) for (const y of planes.slice(0, 6)) for (const z of [0, 100, planes[3]!]) {
      tree.insert(id, x, y, z);
      model.set(id++, [x, y, z]);
    }
    tree.rebalance();
    expectConsistent(tree, model);
  });
});
