/** `options.buffer`: an index built in a caller's (growable, shared) buffer, replaced in place. */
import { describe, expect, it } from 'vitest';

import { createOctree, isOctreeError, octreeByteLength, octreeFrom } from '../src/index.js';
import { WORLD } from './helpers.js';

describe('buffer option', () => {
  it('builds in a growable SharedArrayBuffer, and a larger index replaces a smaller one in the same buffer', () => {
    const buffer = new SharedArrayBuffer(0, { maxByteLength: 1 << 26 });
    const small = { capacity: 16, bounds: WORLD, splitAbove: 4 } as const;
    buffer.grow(octreeByteLength(small));
    const a = createOctree({ ...small, buffer });
    expect(a.buffer).toBe(buffer);
    for (let id = 0; id < 16; id++) a.insert(id, id * 3, id * 2, id);
    a.rebalance();
    expect(octreeFrom(buffer).queryRadius(0, 0, 0, 5).sort()).toEqual([0, 1]);

    const large = { capacity: 1024, bounds: WORLD, splitAbove: 8 } as const;
    buffer.grow(octreeByteLength(large));
    const b = createOctree({ ...large, buffer }); // the old index is gone: zeroed, then rebuilt
    expect(b.size).toBe(0);
    b.insert(1000, 1, 1, 1);
    const reader = octreeFrom(buffer);
    expect(reader.queryRadius(0, 0, 0, 5)).toEqual([1000]);
  });

  it('refuses a buffer that is too small', () => {
    try {
      createOctree({ capacity: 1024, bounds: WORLD, buffer: new SharedArrayBuffer(64) });
      expect.unreachable();
    } catch (error) {
      expect(isOctreeError(error) && error.code).toBe('OCTREE_INVALID_ARGUMENT');
    }
  });
});
