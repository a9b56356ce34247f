/**
 * The adaptive-octree writer and reader on their own (no engine): every radius query equals a
 * linear scan, actors follow the world box in and out, spatial sorts keep refs, and a derived box
 * ignores positions no box can hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Actor, field, KindStore, type ActorRef } from '@concurrengine/actors';
import { mortonOrder } from '@concurrengine/octree';

import { allocateOctreeIndex, OctreeIndexReader, OctreeIndexWriter } from '../src/octreeIndex.js';

class Dot extends Actor({ position: field.vec3(), mass: field.f64() }, { pageSize: 16 }) {
  handle(): void {}
}
class Ghost extends Actor({ mass: field.f64() }, { pageSize: 16 }) {
  handle(): void {}
}

const coord = fc.double({ min: -60, max: 60, noNaN: true });

describe('adaptive-octree writer and reader', () => {
  it('answers every radius query like a linear scan over the positions of the last rebuild, in id order, across moves, despawns, spawns and actors outside the box (property)', () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
    console.log(`fast-check seed ${seed}`);
    fc.assert(
      fc.property(
        // 'medium': enough actors and moves that outside actors in pages no spawn or despawn touched move on.
        fc.array(fc.tuple(coord, coord, coord), { maxLength: 150, size: 'medium' }),
        fc.array(fc.array(fc.tuple(fc.nat(), coord, coord, coord), { maxLength: 60, size: 'medium' }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.array(fc.tuple(coord, coord, coord, fc.double({ min: 0, max: 40, noNaN: true })), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 2, max: 16 }),
        fc.integer({ min: 0, max: 2 }),
        (points, rounds, removals, queries, splitAbove, reorderEvery) => {
          const store = new KindStore(Dot, 1);
          const refs = points.map(([x, y, z]) => store.spawn((d) => d.position.set(x, y, z)));
          const buffers = allocateOctreeIndex();
          // A box smaller than the points' range: some actors live outside it.
          // reorderEvery 1 or 2: the actors move to new slots (sorted in space) at some rebuilds.
          const writer = new OctreeIndexWriter(buffers, { strategy: 'adaptive-octree', bounds: { min: [-40, -40, -40], max: [40, 40, 40] }, splitAbove, reorderEvery });
          const reader = new OctreeIndexReader(buffers); // what a worker holds
          const stores = [new KindStore(Ghost, 0), store]; // kind ids are indices
          writer.rebuild(stores);
          for (const [r, moves] of rounds.entries()) {
            for (const [i, x, y, z] of moves) if (refs.length > 0 && store.isAlive(refs[i % refs.length]!)) store.view(refs[i % refs.length]!).position.set(x, y, z);
            if (r === 1) for (const i of removals) if (refs.length > 0) store.despawn(refs[i % refs.length]!);
            if (r === 2) for (const [x, y, z] of points.slice(0, 20)) refs.push(store.spawn((d) => d.position.set(x, z, y)));
            writer.rebuild(stores, r + 1);
            // The index answers from the rebuild's positions even while the live columns move on.
            const snapshot = new Map(refs.filter((ref) => store.isAlive(ref)).map((ref) => [ref, ((p) => [p.x, p.y, p.z])(store.view(ref).position)] as const));
            for (const ref of snapshot.keys()) store.view(ref).position.set(1e6, 1e6, 1e6);
            const out: ActorRef[] = [];
            for (const [x, y, z, radius] of queries) {
              reader.query({ x, y, z }, radius, out);
              const expected = [...snapshot].filter(([, p]) => (p[0]! - x) ** 2 + (p[1]! - y) ** 2 + (p[2]! - z) ** 2 <= radius * radius).map(([ref]) => ref);
              expect(out).toEqual(expected.sort((a, b) => store.slotOf(a) - store.slotOf(b))); // one kind: id order is slot order
            }
            for (const [ref, p] of snapshot) store.view(ref).position.set(p[0]!, p[1]!, p[2]!);
          }
        },
      ),
      { seed, numRuns: 120 },
    );
  });

  it('follows actors in and out of the world box between ticks with no spawn or despawn: listed outside actors move on and come back, indexed ones leave', () => {
    const store = new KindStore(Dot, 0);
    const refs = Array.from({ length: 64 }, (_, i) => store.spawn((d) => d.position.set(i - 32, 0, 0)));
    const buffers = allocateOctreeIndex();
    const writer = new OctreeIndexWriter(buffers, { strategy: 'adaptive-octree', bounds: { min: [-40, -40, -40], max: [40, 40, 40] }, splitAbove: 4, reorderEvery: 0 });
    const reader = new OctreeIndexReader(buffers);
    const near = (x: number): ActorRef[] => {
      const out: ActorRef[] = [];
      reader.query({ x, y: 0, z: 0 }, 1, out);
      return out;
    };
    writer.rebuild([store]);
    const at = (i: number, x: number) => store.view(refs[i]!).position.set(x, 0, 0);
    at(5, 50); // leaves the box: evicted by the octree's update
    at(60, NaN);
    writer.rebuild([store], 1);
    expect(writer.stats().outside).toBe(2);
    expect(near(50)).toEqual([refs[5]]);
    at(5, 55); // moves on outside: its listed position follows
    writer.rebuild([store], 2);
    expect(near(50)).toEqual([]);
    expect(near(55)).toEqual([refs[5]]);
    at(5, 0.5); // back inside
    at(60, 27.5);
    writer.rebuild([store], 3);
    expect(writer.stats().outside).toBe(0);
    expect(near(55)).toEqual([]);
    expect(near(0.5)).toEqual([refs[5]!, refs[32]!, refs[33]!]); // id (slot) order
    expect(near(27.5)).toEqual([refs[59], refs[60]]);
  });

  it('sorts the whole world at the first boundary: slots follow the Morton order, every ref still names its actor, the index follows', () => {
    const store = new KindStore(Dot, 0);
    const bounds = { min: [0, 0, 0] as const, max: [64, 64, 64] as const };
    // Slot order unrelated to space, a few dead slots, one actor outside the box.
    const refs = Array.from({ length: 200 }, (_, i) => store.spawn((d) => (d.position.set((i * 37) % 64, (i * 11) % 64, (i * 53) % 64), (d.mass = i))));
    for (const i of [3, 50, 51, 199]) store.despawn(refs[i]!);
    store.view(refs[7]!).position.set(500, 0, 0);
    const buffers = allocateOctreeIndex();
    const writer = new OctreeIndexWriter(buffers, { strategy: 'adaptive-octree', bounds, splitAbove: 8, reorderEvery: 10 });
    const reader = new OctreeIndexReader(buffers);
    writer.rebuild([store]); // the start: index only
    expect(writer.stats().sorts).toBe(0);
    const before = refs.map((ref) => store.slotOf(ref));
    writer.rebuild([store], 1);
    expect(writer.stats().sorts).toBe(1);
    expect(store.highWater).toBe(196); // compacted: the dead slots are gone
    const live = refs.filter((ref) => store.isAlive(ref));
    expect(live.filter((ref, i) => store.slotOf(ref) !== before[refs.indexOf(ref)]).length).toBeGreaterThan(150);
    for (const ref of live) expect(store.view(ref).mass).toBe(refs.indexOf(ref));
    expect(mortonRank(store, bounds)).toEqual(Array.from({ length: 196 }, (_, i) => i));
    expectQueriesEqualScan(reader, store, live, [[32, 32, 32, 20], [480, 0, 0, 30], [0, 0, 0, 64]]);
  });

  it('then sorts one window of pages per step, sweeping back and forth: each step leaves its window in Morton order and every query equal to a scan, and the steps bring a scrambled world back to Morton order', () => {
    const store = new KindStore(Dot, 0);
    const bounds = { min: [0, 0, 0] as const, max: [64, 64, 64] as const };
    const refs = Array.from({ length: 200 }, (_, i) => store.spawn((d) => (d.position.set((i * 37) % 64, (i * 11) % 64, (i * 53) % 64), (d.mass = i))));
    const buffers = allocateOctreeIndex();
    // Windows of 2 pages of 16 (32 actors) over 13 pages: 12 window places per sweep.
    const writer = new OctreeIndexWriter(buffers, { strategy: 'adaptive-octree', bounds, splitAbove: 8, reorderEvery: 2 }, 16);
    const reader = new OctreeIndexReader(buffers);
    writer.rebuild([store]);
    writer.rebuild([store], 1); // the whole world sorted
    // Free slots inside the windows: they must stay free where they are.
    for (const i of [3, 50, 51]) store.despawn(refs[i]!);
    const live = refs.filter((ref) => store.isAlive(ref));
    // Scramble: every actor jumps somewhere else; the slots no longer follow space.
    live.forEach((ref, k) => store.view(ref).position.set((k * 29) % 64, (k * 7) % 64, (k * 41) % 64));
    // Two outside the box (in the outside list): the steps rename their entries too.
    store.view(live[5]!).position.set(500, 1, 1);
    store.view(live[150]!).position.set(490, 2, 2);
    const slotsBefore = live.map((ref) => store.slotOf(ref));
    const freeBefore = [3, 50, 51].map((i) => refs[i]!);
    const freeSlots = [...Array(store.highWater).keys()].filter((slot) => store.page(slot >> 4).alive[slot & 15] === 0);
    expect(freeSlots).toHaveLength(3);
    let disorder = outOfOrder(store, bounds);
    expect(disorder).toBeGreaterThan(20);
    for (let tick = 2; tick <= 2 + 2 * 12 * 30; tick++) {
      writer.rebuild([store], tick);
      if (tick % 2 !== 0) continue;
      // Free slots stay free, counts stay, refs name their actors.
      expect(store.highWater).toBe(200);
      expect(store.liveCount).toBe(197);
      for (const ref of freeBefore) expect(store.isAlive(ref)).toBe(false);
      for (const slot of freeSlots) expect(store.page(slot >> 4).alive[slot & 15]).toBe(0);
      if (tick <= 8) {
        for (const ref of live) expect(store.view(ref).mass).toBe(refs.indexOf(ref));
        expectQueriesEqualScan(reader, store, live, [[32, 32, 32, 20], [10, 50, 5, 12], [480, 0, 0, 30]]);
        // Only one window of 2 pages moved.
        const moved = live.filter((ref, k) => store.slotOf(ref) !== slotsBefore[k]).map((ref) => Math.floor(store.slotOf(ref) / 16));
        expect(new Set(moved).size).toBeLessThanOrEqual(2);
        slotsBefore.splice(0, slotsBefore.length, ...live.map((ref) => store.slotOf(ref)));
      }
    }
    disorder = outOfOrder(store, bounds);
    expect(disorder).toBe(0);
    expect(writer.stats().sorts).toBe(2 + 12 * 30);
    expectQueriesEqualScan(reader, store, live, [[32, 32, 32, 20], [0, 0, 0, 64], [480, 0, 0, 30]]);
    expect(writer.stats().outside).toBe(2);
    for (const ref of live) expect(store.view(ref).mass).toBe(refs.indexOf(ref));
  });

  it('is not derived again for actors no box can hold (NaN or infinite positions), however many', () => {
    class Dot extends Actor({ position: field.vec3() }, { pageSize: 16 }) {
      handle(): void {}
    }
    const store = new KindStore(Dot, 0);
    const refs = Array.from({ length: 400 }, (_, i) => store.spawn((d) => d.position.set(i % 20, (i * 7) % 20, (i * 13) % 20)));
    const writer = new OctreeIndexWriter(allocateOctreeIndex(), { strategy: 'adaptive-octree', splitAbove: 16, reorderEvery: 0 });
    writer.rebuild([store]);
    refs.slice(0, 150).forEach((ref, i) => store.view(ref).position.set(i % 2 === 0 ? NaN : Infinity, 0, 0));
    for (let tick = 1; tick <= 5; tick++) writer.rebuild([store], tick);
    expect(writer.stats().outside).toBe(150);
    expect(writer.stats().refits).toBe(0);
    // 150 finite actors far away: one refit takes them in.
    refs.slice(150, 300).forEach((ref, i) => store.view(ref).position.set(500 + i, 0, 0));
    for (let tick = 6; tick <= 8; tick++) writer.rebuild([store], tick);
    expect(writer.stats().refits).toBe(1);
    expect(writer.stats().outside).toBe(150);
  });
});

/** The live slots of `store` ranked by Morton order of their actors' positions (ties by slot): [0, 1, …] when sorted. */
function mortonRank(store: KindStore<Dot>, bounds: { readonly min: readonly [number, number, number]; readonly max: readonly [number, number, number] }): number[] {
  const slots: number[] = [];
  for (let slot = 0; slot < store.highWater; slot++) if (store.page(slot >> 4).alive[slot & 15] !== 0) slots.push(slot);
  const positions = new Float64Array(store.highWater * 3);
  for (const slot of slots) positions.set(((p) => [p.x, p.y, p.z])(store.view(store.refAt(slot)).position), slot * 3);
  const order = [...mortonOrder(positions, Int32Array.from(slots), slots.length, bounds)];
  return order.map((slot) => slots.indexOf(slot));
}

/** How many neighbouring live actors are not in Morton order. */
function outOfOrder(store: KindStore<Dot>, bounds: { readonly min: readonly [number, number, number]; readonly max: readonly [number, number, number] }): number {
  const rank = mortonRank(store, bounds);
  let n = 0;
  for (let i = 1; i < rank.length; i++) if (rank[i]! < rank[i - 1]!) n++;
  return n;
}

/** Each query answers the live actors within the radius, in slot order. */
function expectQueriesEqualScan(reader: OctreeIndexReader, store: KindStore<Dot>, live: readonly ActorRef[], queries: readonly (readonly [number, number, number, number])[]): void {
  for (const [x, y, z, r] of queries) {
    const out: ActorRef[] = [];
    reader.query({ x, y, z }, r, out);
    const expected = live.filter((ref) => ((p) => (p.x - x) ** 2 + (p.y - y) ** 2 + (p.z - z) ** 2 <= r * r)(store.view(ref).position));
    expect(out).toEqual(expected.sort((a, b) => store.slotOf(a) - store.slotOf(b)));
  }
}

