import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Actor, field, KindStore, type ActorRef } from '@concurrengine/actors';

import { allocateGrid, GridReader, GridWriter } from '../src/neighbourGrid.js';

class Dot extends Actor({ position: field.vec3(), mass: field.f64() }, { pageSize: 16 }) {
  handle(): void {}
}
class Ghost extends Actor({ mass: field.f64() }, { pageSize: 16 }) {
  handle(): void {}
}

const coord = fc.double({ min: -50, max: 50, noNaN: true });

describe('neighbour grid', () => {
  it('answers every radius query exactly like a linear scan, without duplicates (property)', () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
    console.log(`fast-check seed ${seed}`);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(coord, coord, coord), { maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.array(fc.tuple(coord, coord, coord, fc.double({ min: 0, max: 30, noNaN: true })), { minLength: 1, maxLength: 20 }),
        (points, removals, cellSize, queries) => {
          const store = new KindStore(Dot, 0);
          const refs = points.map(([x, y, z]) => store.spawn((d) => d.position.set(x, y, z)));
          for (const r of removals) if (refs.length > 0) store.despawn(refs[r % refs.length]!);
          const buffers = allocateGrid(cellSize);
          new GridWriter(buffers).rebuild([store, new KindStore(Ghost, 1)]);
          const reader = new GridReader(buffers); // what a worker holds
          const out: ActorRef[] = [];
          for (const [x, y, z, radius] of queries) {
            reader.query({ x, y, z }, radius, out);
            const expected = refs.filter((ref) => {
              if (!store.isAlive(ref)) return false;
              const p = store.view(ref).position;
              return (p.x - x) ** 2 + (p.y - y) ** 2 + (p.z - z) ** 2 <= radius * radius;
            });
            expect(new Set(out).size).toBe(out.length);
            expect([...out].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
          }
        },
      ),
      { seed, numRuns: 150 },
    );
  });

  it('keeps answering from the positions it was built from while the live columns move', () => {
    const store = new KindStore(Dot, 0);
    const a = store.spawn((d) => d.position.set(0, 0, 0));
    const buffers = allocateGrid(1);
    new GridWriter(buffers).rebuild([store]);
    store.view(a).position.set(100, 100, 100);
    const out: ActorRef[] = [];
    expect(new GridReader(buffers).query({ x: 0, y: 0, z: 0 }, 0.5, out)).toBe(1);
    expect(out).toEqual([a]);
  });
});
