/** Typed errors and the out-of-bounds policies. */
import { describe, expect, it } from 'vitest';

import { createOctree, isOctreeError, type OctreeErrorCode } from '../src/index.js';
import { WORLD } from './helpers.js';

function code(fn: () => unknown): OctreeErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    if (isOctreeError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('errors', () => {
  it('rejects bad options', () => {
    expect(code(() => createOctree({ capacity: 0, bounds: WORLD }))).toBe('OCTREE_INVALID_ARGUMENT');
    expect(code(() => createOctree({ capacity: 10, bounds: { min: [0, 0, 0], max: [1, 0, 1] } }))).toBe('OCTREE_INVALID_ARGUMENT');
    expect(code(() => createOctree({ capacity: 10, bounds: WORLD, splitAbove: 8, mergeBelow: 8 }))).toBe('OCTREE_INVALID_ARGUMENT');
    expect(code(() => createOctree({ capacity: 10, bounds: WORLD, itemCapacity: 12 }))).toBe('OCTREE_INVALID_ARGUMENT');
  });

  it('names ids that are out of range, duplicate or unknown', () => {
    const tree = createOctree({ capacity: 4, bounds: WORLD });
    expect(code(() => tree.insert(4, 1, 1, 1))).toBe('OCTREE_INVALID_ARGUMENT');
    tree.insert(1, 1, 1, 1);
    expect(code(() => tree.insert(1, 2, 2, 2))).toBe('OCTREE_DUPLICATE_ID');
    expect(code(() => tree.move(2, 1, 1, 1))).toBe('OCTREE_UNKNOWN_ID');
    expect(tree.remove(2)).toBe(false);
    expect(code(() => tree.update(new Float64Array(3)))).toBe('OCTREE_INVALID_ARGUMENT');
  });

  it('throws OCTREE_OUT_OF_BOUNDS by default, and a failed update changes no leaf', () => {
    const tree = createOctree({ capacity: 3, bounds: WORLD });
    expect(code(() => tree.insert(0, 101, 0, 0))).toBe('OCTREE_OUT_OF_BOUNDS');
    expect(code(() => tree.insert(0, Number.NaN, 0, 0))).toBe('OCTREE_OUT_OF_BOUNDS');
    tree.insert(0, 100, 100, 100); // upper faces are inclusive
    tree.insert(1, 10, 10, 10);
    tree.insert(2, 20, 20, 20);
    expect(() => tree.update(new Float64Array([90, 90, 90, 10.5, 10.5, 10.5, -1, 20, 20]))).toThrow(/point 2 at \(-1, 20, 20\) is outside/);
    const p = [0, 0, 0];
    tree.positionInto(0, p);
    expect(p).toEqual([90, 90, 90]); // stayed in its leaf (the root): updated in place
    tree.positionInto(2, p);
    expect(p).toEqual([20, 20, 20]); // left its leaf (the world): not moved
    expect(tree.partitionOf(2)).toBe(tree.partitionOf(1));
  });

  it("clamps onto the world box with outOfBounds: 'clamp'", () => {
    const tree = createOctree({ capacity: 2, bounds: WORLD, outOfBounds: 'clamp' });
    tree.insert(0, -5, 50, 500);
    const p = [0, 0, 0];
    tree.positionInto(0, p);
    expect(p).toEqual([0, 50, 100]);
    tree.update(new Float64Array([150, -3, 7]));
    tree.positionInto(0, p);
    expect(p).toEqual([100, 0, 7]);
    expect(tree.queryBox(100, 0, 0, 100, 0, 100)).toEqual([0]);
    expect(code(() => tree.move(0, Number.NaN, 0, 0))).toBe('OCTREE_OUT_OF_BOUNDS');
  });

  it('rejects negative or infinite heat', () => {
    const tree = createOctree({ capacity: 2, bounds: WORLD, load: 'heat' });
    expect(code(() => tree.setHeat(tree.partitions()[0]!.id, -1))).toBe('OCTREE_INVALID_ARGUMENT');
  });
});
