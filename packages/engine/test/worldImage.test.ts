/** A stored tick's meta is outside input: a malformed one gets a typed error naming where and what. */
import { describe, expect, it } from 'vitest';

import { decodeMeta, IMAGE_FORMAT } from '../src/worldImage.js';

const encode = (meta: unknown) => new TextEncoder().encode(JSON.stringify(meta));
const valid = { format: IMAGE_FORMAT, tick: 5, seed: 1, kinds: [], pending: { count: 0, depth: [0, 0, 0, 0], lanes: '' }, journal: [] };

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
      { strategy: 'adaptive-octree', splitAbove: 512, reorderEvery: 8, sort: 'steps' },
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
    ['an octree recorded before the sort steps', encode({ ...valid, spatialOptions: { strategy: 'adaptive-octree', splitAbove: 8, reorderEvery: 600 } }), /spatialOptions has no sort: "steps"/],
    ['an octree sorting every -1 ticks', encode({ ...valid, spatialOptions: { strategy: 'adaptive-octree', splitAbove: 8, reorderEvery: -1 } }), /spatialOptions reorderEvery/],
    ['an octree with a flat box', encode({ ...valid, spatialOptions: { strategy: 'adaptive-octree', bounds: { min: [0, 0, 0], max: [1, 0, 1] }, splitAbove: 8, reorderEvery: 1 } }), /spatialOptions bounds/],
  ])('refuses %s with ENGINE_SNAPSHOT_INVALID naming the tick', (_, bytes, message) => {
    expect(() => decodeMeta(bytes, 'dir, tick 5')).toThrowError(expect.objectContaining({ code: 'ENGINE_SNAPSHOT_INVALID', message: expect.stringMatching(message) }));
    expect(() => decodeMeta(bytes, 'dir, tick 5')).toThrowError(/dir, tick 5/);
  });

  // Issue 15 item 8: checksum-valid metas with absurd values (the store cannot tell).
  const kind = { name: 'W', layoutVersion: 2, pageSize: 64, pageBytes: 1000, pages: 1, highWater: 3, live: 2, freeSlots: [1], handles: { count: 3, free: [2], generations: [1] } };
  const withKind = (patch: Record<string, unknown>) => encode({ ...valid, kinds: [{ ...kind, ...patch }] });

  it('reads a meta whose counts add up, and a supervision state with kinds that never restarted (null)', () => {
    expect(decodeMeta(withKind({}), 'dir, tick 5').kinds[0]!.highWater).toBe(3);
    const supervision = { groups: [null], due: [[7, [1]]], groupRestartTicks: [null], counters: { restarts: 0, suspended: 0, removed: 0, groupRestarts: 0, escalations: 0, restartMs: 0 } };
    expect(decodeMeta(encode({ ...valid, kinds: [kind], supervision }), 'dir, tick 5').supervision).toEqual(supervision);
  });

  it.each([
    ['highWater = -5', withKind({ highWater: -5 }), /kinds\[0\]\.highWater is -5; expected an integer from 0/],
    ['a fractional highWater', withKind({ highWater: 2.5 }), /highWater is 2\.5/],
    ['a highWater past the slots a kind may hold', withKind({ highWater: 2 ** 30, pages: 2 ** 24 }), /highWater/],
    ['pages that do not cover highWater', withKind({ pages: 3 }), /kinds\[0\]\.pages is 3; expected an integer from 1 to 1/],
    ['a page count as a string', withKind({ pages: '1' }), /pages is "1"/],
    ['live above highWater', withKind({ live: 4 }), /live is 4/],
    ['a free slot at highWater', withKind({ freeSlots: [3] }), /freeSlots\[0\] is 3/],
    ['a free slot listed twice', withKind({ live: 1, freeSlots: [1, 1] }), /freeSlots\[1\] is 1; expected no value listed twice/],
    ['free slots and live that do not add up', withKind({ freeSlots: [] }), /freeSlots is "0 slots"/],
    ['handles fewer than the live actors', withKind({ handles: { count: 1, free: [], generations: [] } }), /handles\.count is 1/],
    ['a generation per free handle missing', withKind({ handles: { count: 3, free: [2], generations: [] } }), /generations/],
    ['a generation past 2^16', withKind({ handles: { count: 3, free: [2], generations: [2 ** 16] } }), /generations\[0\]/],
    ['no handles', withKind({ handles: undefined }), /handles is undefined; expected an object/],
    ['a negative tick', encode({ ...valid, tick: -1 }), /tick is -1/],
    ['a seed that is not a number', encode({ ...valid, seed: 'x' }), /seed is "x"/],
    ['pending lanes that are not whole float64s', encode({ ...valid, pending: { ...valid.pending, lanes: 'AAAA' } }), /pending\.lanes/],
    ['pending depth of 5 tiers', encode({ ...valid, pending: { ...valid.pending, depth: [0, 0, 0, 0, 0] } }), /pending\.depth/],
    ['pending null', encode({ ...valid, pending: null }), /pending is null/],
    ['a journal entry of no known kind', encode({ ...valid, journal: [{ tick: 1, kind: 'teleport' }] }), /journal\[0\]\.kind is "teleport"/],
    ['a journal entry after the tick', encode({ ...valid, journal: [{ tick: 9, kind: 'despawn', ref: 1 }] }), /journal\[0\]\.tick is 9/],
    ['a spawn of a kind that does not exist', encode({ ...valid, journal: [{ tick: 1, kind: 'spawn', kindId: 0, lanes: '' }] }), /journal\[0\]\.kindId/],
    ['a despawn of no ref', encode({ ...valid, journal: [{ tick: 1, kind: 'despawn', ref: -1 }] }), /journal\[0\]\.ref is -1/],
    ['a drill rate of 2', encode({ ...valid, controls: { handlerThrowRate: 2, workerExitRate: 0 } }), /controls\.handlerThrowRate is 2/],
    ['supervision counters that are not numbers', encode({ ...valid, supervision: { groups: [], due: [], groupRestartTicks: [], counters: {} } }), /supervision\.counters\.restarts/],
    ['a long bad value, quoted short', withKind({ name: 'x'.repeat(10_000) , layoutVersion: 'y'.repeat(10_000) }), /layoutVersion is "y{96}…; expected/],
  ])('refuses %s with ENGINE_SNAPSHOT_INVALID naming the tick and the field', (_, bytes, message) => {
    expect(() => decodeMeta(bytes, 'dir, tick 5')).toThrowError(expect.objectContaining({ name: 'EngineError', code: 'ENGINE_SNAPSHOT_INVALID', message: expect.stringMatching(message) }));
    expect(() => decodeMeta(bytes, 'dir, tick 5')).toThrowError(/^dir, tick 5: /);
  });
});
