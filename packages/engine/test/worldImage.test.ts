/** A stored tick's meta is outside input: a malformed one gets a typed error naming where and what. */
import { describe, expect, it } from 'vitest';

import { decodeMeta, IMAGE_FORMAT } from '../src/worldImage.js';

const encode = (meta: unknown) => new TextEncoder().encode(JSON.stringify(meta));
const valid = { format: IMAGE_FORMAT, tick: 5, seed: 1, kinds: [], pending: { count: 0, depth: [], lanes: '' }, journal: [] };

describe('decodeMeta', () => {
  it('reads a valid meta, with or without the spatial world box (old metas have no spatialOptions)', () => {
    expect(decodeMeta(encode(valid), 'dir, tick 5').tick).toBe(5);
    expect(decodeMeta(encode(valid), 'dir, tick 5').spatialOptions).toBeUndefined();
    const box = { min: [0, -1, 2], max: [10, 1, 3] };
    expect(decodeMeta(encode({ ...valid, spatialBounds: box }), 'dir, tick 5').spatialBounds).toEqual(box);
  });

  it('reads the recorded spatial options of each strategy', () => {
    for (const spatialOptions of [
      { strategy: 'single' },
      { strategy: 'uniform-grid', cellSize: 2.5 },
      { strategy: 'adaptive-octree', splitAbove: 512, reorderEvery: 600 },
      { strategy: 'adaptive-octree', bounds: { min: [0, 0, 0], max: [1, 1, 1] }, splitAbove: 64, mergeBelow: 8, reorderEvery: 0 },
    ]) {
      expect(decodeMeta(encode({ ...valid, spatialOptions }), 'dir, tick 5').spatialOptions).toEqual(spatialOptions);
    }
  });

  it.each([
    ['not JSON', new TextEncoder().encode('{"format": 1,'), /is not the engine's JSON/],
    ['no kinds', encode({ ...valid, kinds: undefined }), /lacks format, kinds, pending or journal/],
    ['a newer format', encode({ ...valid, format: IMAGE_FORMAT + 1 }), /stored by a newer engine/],
    ['a box with two axes', encode({ ...valid, spatialBounds: { min: [0, 0], max: [1, 1] } }), /spatialBounds is not a box/],
    ['a box with min ≥ max', encode({ ...valid, spatialBounds: { min: [0, 5, 0], max: [1, 5, 1] } }), /min < max/],
    ['a box with a string', encode({ ...valid, spatialBounds: { min: [0, 0, '0'], max: [1, 1, 1] } }), /spatialBounds/],
    ['spatial options of no known strategy', encode({ ...valid, spatialOptions: { strategy: 'kd-tree' } }), /spatialOptions strategy is not/],
    ['spatial options that are a string', encode({ ...valid, spatialOptions: 'adaptive-octree' }), /spatialOptions not an object/],
    ['a grid without a cell', encode({ ...valid, spatialOptions: { strategy: 'uniform-grid', cellSize: 0 } }), /spatialOptions cellSize/],
    ['an octree without splitAbove', encode({ ...valid, spatialOptions: { strategy: 'adaptive-octree', reorderEvery: 600 } }), /spatialOptions splitAbove/],
    ['an octree merging above its split', encode({ ...valid, spatialOptions: { strategy: 'adaptive-octree', splitAbove: 8, mergeBelow: 8, reorderEvery: 1 } }), /spatialOptions mergeBelow/],
    ['an octree sorting every -1 ticks', encode({ ...valid, spatialOptions: { strategy: 'adaptive-octree', splitAbove: 8, reorderEvery: -1 } }), /spatialOptions reorderEvery/],
    ['an octree with a flat box', encode({ ...valid, spatialOptions: { strategy: 'adaptive-octree', bounds: { min: [0, 0, 0], max: [1, 0, 1] }, splitAbove: 8, reorderEvery: 1 } }), /spatialOptions bounds/],
  ])('refuses %s with ENGINE_SNAPSHOT_INVALID naming the tick', (_, bytes, message) => {
    expect(() => decodeMeta(bytes, 'dir, tick 5')).toThrowError(expect.objectContaining({ code: 'ENGINE_SNAPSHOT_INVALID', message: expect.stringMatching(message) }));
    expect(() => decodeMeta(bytes, 'dir, tick 5')).toThrowError(/dir, tick 5/);
  });
});
