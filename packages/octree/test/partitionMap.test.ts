/** PartitionMap (the writer's partition id → leaf table) against a plain Map model. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { PartitionMap } from '../src/partitionMap.js';
import { SEED } from './helpers.js';

type Op = { op: 'set'; id: number; node: number } | { op: 'delete'; id: number } | { op: 'clear' };
// Few distinct ids so runs collide, wrap around the table and get deleted from the middle.
const id = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(0, 64, 128, 2 ** 31 - 1));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), id, node: fc.integer({ min: 0, max: 1e6 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), id }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('PartitionMap', () => {
  it('gets, sets and deletes like a Map', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        const map = new PartitionMap();
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.op === 'set') {
            map.set(o.id, o.node);
            model.set(o.id, o.node);
          } else if (o.op === 'delete') {
            expect(map.delete(o.id)).toBe(model.delete(o.id));
          } else {
            map.clear();
            model.clear();
          }
        }
        expect(map.size).toBe(model.size);
        for (let k = 0; k <= 300; k++) expect(map.get(k)).toBe(model.get(k));
        expect(map.get(2 ** 31 - 1)).toBe(model.get(2 ** 31 - 1));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answers undefined for ids that are not partition ids', () => {
    const map = new PartitionMap();
    map.set(1, 5);
    for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 31, -0.5]) expect(map.get(bad)).toBeUndefined();
    expect(map.delete(1.5)).toBe(false);
    expect(map.get(1)).toBe(5);
  });
});
