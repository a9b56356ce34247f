/** The octree reads positions through PositionSource's chunks: every id must land on its actor's own position. */
import { Actor, field, KindStore, type ActorRef } from '@concurrengine/actors';
import { describe, expect, it } from 'vitest';

import { allocateOctreeIndex, OctreeIndexReader, OctreeIndexWriter } from '../src/octreeIndex.js';
import { PositionSource } from '../src/positionSource.js';

class Small extends Actor({ position: field.vec3() }, { pageSize: 16 }) {
  handle(): void {}
}
class Large extends Actor({ mass: field.f64(), position: field.vec3() }, { pageSize: 4096 }) {
  handle(): void {}
}
class Blind extends Actor({ mass: field.f64() }, { pageSize: 64 }) {
  handle(): void {}
}
class Coarse extends Actor({ position: field.vec3({ precision: 'f32' }) }) {
  handle(): void {}
}

describe('PositionSource', () => {
  it('maps id base[kind] + slot to that actor\'s position, across kinds of different page sizes and ranges, one without positions between them', () => {
    const large = new KindStore(Large, 0);
    const blind = new KindStore(Blind, 1);
    const small = new KindStore(Small, 2);
    for (let i = 0; i < 5000; i++) large.spawn((a) => a.position.set(i, -i, i / 2));
    for (let i = 0; i < 40; i++) blind.spawn();
    for (let i = 0; i < 37; i++) small.spawn((a) => a.position.set(-i, i * 3, 7));
    // As octreeIndex.ts lays ids out: power-of-two ranges of at least 1024, end to end; none for a kind without positions.
    const columns = [1, -1, 0];
    const caps = [8192, 0, 1024];
    const bases = [0, 8192, 8192];
    const source = new PositionSource();
    expect(source.refresh([large, blind, small], columns, bases, caps)).toBe(true);
    const { chunks, shift } = source.chunked;
    const at = (id: number) => Array.from(chunks[id >> shift]!.subarray((id & (2 ** shift - 1)) * 3, (id & (2 ** shift - 1)) * 3 + 3));
    expect(shift).toBe(4); // the smallest page size
    for (const slot of [0, 1, 15, 16, 4095, 4096, 4999]) expect(at(slot)).toEqual([slot, -slot, slot / 2]);
    for (const slot of [0, 15, 16, 36]) expect(at(8192 + slot)).toEqual([-slot, slot * 3, 7]);
    expect(chunks.length).toBe((8192 + 1024) >> shift);
  });

  it('declines a position column that is not f64 (the caller gathers instead)', () => {
    const coarse = new KindStore(Coarse, 0);
    coarse.spawn();
    expect(new PositionSource().refresh([coarse], [0], [0], [1024])).toBe(false);
  });

  it('an index over an f32 position column gathers every position and answers like a scan, across moves out of and back into the box', () => {
    const coarse = new KindStore(Coarse, 0);
    const refs = Array.from({ length: 300 }, (_, i) => coarse.spawn((a) => a.position.set((i * 37) % 100, (i * 11) % 100, (i * 53) % 100)));
    const buffers = allocateOctreeIndex();
    const writer = new OctreeIndexWriter(buffers, { strategy: 'adaptive-octree', bounds: { min: [0, 0, 0], max: [100, 100, 100] }, splitAbove: 8, reorderEvery: 0 });
    const reader = new OctreeIndexReader(buffers);
    for (let tick = 0; tick < 4; tick++) {
      if (tick > 0) for (const [i, ref] of refs.entries()) if (i % 7 === tick) coarse.view(ref).position.set(tick === 2 ? 150 : (i * 13) % 100, 50, 50);
      writer.rebuild([coarse], tick);
      for (const [x, r] of [[50, 20], [150, 5], [10, 40]] as const) {
        const out: ActorRef[] = [];
        reader.query({ x, y: 50, z: 50 }, r, out);
        const expected = refs.filter((ref) => ((p) => (p.x - x) ** 2 + (p.y - 50) ** 2 + (p.z - 50) ** 2 <= r * r)(coarse.view(ref).position));
        expect(out, `tick ${tick}, x ${x}`).toEqual(expected);
      }
    }
  });
});
