/**
 * Review: the octree writer's boundary work against a scan of the pages, across everything that
 * changes membership (spawn, spawn into a freed slot, despawn, suspend — twice —, resume, restore of
 * an earlier seal: a rewind that lowers the high-water mark), moves in and out of a derived ("auto")
 * box (refits) and of a fixed one, NaN positions, spatial sorts, kinds of different page sizes and
 * one without positions. After every rebuild: every query equals a scan, the outside count equals
 * the live actors outside the box in use, a fixed box never moves, and a fresh writer on the same
 * pages and box answers alike (no history kept that the pages do not show).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Actor, field, KindStore, type ActorRef, type KindSeal } from '@concurrengine/actors';

import { allocateOctreeIndex, OctreeIndexReader, OctreeIndexWriter } from '../src/octreeIndex.js';
import type { SpatialBounds } from '../src/ports.js';

class Ghost extends Actor({ mass: field.f64() }, { pageSize: 16 }) {
  handle(): void {}
}
class Dot extends Actor({ position: field.vec3(), mass: field.f64() }, { pageSize: 16 }) {
  handle(): void {}
}
class Blob extends Actor({ mass: field.f64(), position: field.vec3() }, { pageSize: 64 }) {
  handle(): void {}
}

const coord = fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -2000, max: 2000, noNaN: true }), fc.constant(Number.NaN));
const op = fc.oneof(
  fc.tuple(fc.constant('move' as const), fc.nat(), coord, coord, coord),
  fc.tuple(fc.constant('spawn' as const), fc.nat(), coord, coord, coord),
  fc.tuple(fc.constant('despawn' as const), fc.nat()),
  fc.tuple(fc.constant('suspend' as const), fc.nat()),
  fc.tuple(fc.constant('resume' as const), fc.nat()),
  fc.tuple(fc.constant('seal' as const)),
  // Every live actor flies off by a factor: what outgrows a derived box (a refit above 64 outside).
  fc.tuple(fc.constant('spread' as const), fc.integer({ min: 2, max: 50 })),
  fc.tuple(fc.constant('restore' as const)),
);

type Store = KindStore;

function scan(stores: readonly Store[], x: number, y: number, z: number, r: number): ActorRef[] {
  const out: ActorRef[] = [];
  stores.forEach((store) => {
    const column = store.layout.columns.findIndex((c) => c.name === 'position');
    if (column < 0) return;
    for (let slot = 0; slot < store.highWater; slot++) {
      const page = store.page(slot >> Math.log2(store.layout.pageSize));
      const o = slot & (store.layout.pageSize - 1);
      if (page.alive[o] !== 1) continue;
      const xyz = page.columns[column]!;
      const dx = xyz[o * 3]! - x, dy = xyz[o * 3 + 1]! - y, dz = xyz[o * 3 + 2]! - z;
      if (dx * dx + dy * dy + dz * dz <= r * r) out.push(store.refAt(slot));
    }
  });
  return out;
}

function outsideOf(stores: readonly Store[], box: SpatialBounds): number {
  let n = 0;
  for (const store of stores) {
    const column = store.layout.columns.findIndex((c) => c.name === 'position');
    if (column < 0) continue;
    for (let slot = 0; slot < store.highWater; slot++) {
      const page = store.page(slot >> Math.log2(store.layout.pageSize));
      const o = slot & (store.layout.pageSize - 1);
      if (page.alive[o] !== 1) continue;
      const xyz = page.columns[column]!;
      let inside = true;
      for (let a = 0; a < 3; a++) inside &&= xyz[o * 3 + a]! >= box.min[a]! && xyz[o * 3 + a]! <= box.max[a]!;
      if (!inside) n++;
    }
  }
  return n;
}

const QUERIES: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 0, 30],
  [20, -10, 5, 60],
  [0, 0, 0, 5000],
  [1000, 1000, 1000, 1500],
  [-40, 40, 0, 15],
];

function query(reader: OctreeIndexReader, x: number, y: number, z: number, r: number): ActorRef[] {
  const out: ActorRef[] = [];
  reader.query({ x, y, z }, r, out);
  return out;
}

describe('the octree index writer against a scan of the pages (property)', () => {
  for (const fixed of [false, true]) {
    it(`keeps every query equal to a scan across membership changes, rewinds, refits and sorts (${fixed ? 'fixed' : 'derived'} box)`, () => {
      const seed = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
      console.log(`fast-check seed ${seed}`);
      const seenAtAll = { refits: 0, sorts: 0, outside: 0, restores: 0 };
      fc.assert(
        fc.property(
          fc.array(fc.tuple(coord, coord, coord), { minLength: 1, maxLength: 300 }),
          fc.array(fc.array(op, { maxLength: 80 }), { minLength: 1, maxLength: 8 }),
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 2, max: 16 }),
          fc.integer({ min: 0, max: 400 }),
          fc.constantFrom(16, 64, 1 << 20),
          (points, rounds, reorderEvery, splitAbove, extra, stepActors) => {
            const stores: Store[] = [new KindStore(Ghost, 0), new KindStore(Dot, 1), new KindStore(Blob, 2)];
            const refs: ActorRef[] = [];
            const spawnAt = (i: number, x: number, y: number, z: number) => {
              const store = stores[1 + (i % 2)]!;
              refs.push(store.spawn((a) => (a as unknown as Dot).position.set(x, y, z)));
            };
            points.forEach(([x, y, z], i) => spawnAt(i, x, y, z));
            // Enough actors that a spread leaves more than 64 outside a derived box.
            for (let i = 0; i < extra; i++) spawnAt(i, ((i * 37) % 80) - 40, ((i * 11) % 80) - 40, ((i * 53) % 80) - 40);
            stores[0]!.spawnMany(5);
            const bounds: SpatialBounds | undefined = fixed ? { min: [-40, -40, -40], max: [40, 40, 40] } : undefined;
            const buffers = allocateOctreeIndex();
            // Sort steps over windows smaller than the world (2 pages) as well as over all of it.
            const writer = new OctreeIndexWriter(buffers, { strategy: 'adaptive-octree', splitAbove, reorderEvery, ...(bounds ? { bounds } : {}) }, stepActors);
            const reader = new OctreeIndexReader(buffers);
            writer.rebuild(stores);
            let seals: KindSeal[] | undefined;
            const storeOf = (ref: ActorRef) => stores.find((s) => s.slotOf(ref) >= 0);
            for (const [r, ops] of rounds.entries()) {
              for (const o of ops) {
                const ref = refs.length > 0 ? refs[(o[0] === 'seal' || o[0] === 'restore' || o[0] === 'spread' ? 0 : o[1]) % refs.length]! : undefined;
                const store = ref !== undefined ? storeOf(ref) : undefined;
                switch (o[0]) {
                  case 'move':
                    if (store && store.isAlive(ref!)) (store.view(ref!) as unknown as Dot).position.set(o[2], o[3], o[4]);
                    break;
                  case 'spawn':
                    spawnAt(o[1], o[2], o[3], o[4]);
                    break;
                  case 'despawn':
                    if (store) store.despawn(ref!);
                    break;
                  case 'suspend':
                    if (store) store.suspend(store.slotOf(ref!));
                    break;
                  case 'resume':
                    if (store) store.resume(store.slotOf(ref!));
                    break;
                  case 'spread':
                    for (const each of refs) {
                      const at = storeOf(each);
                      if (!at?.isAlive(each)) continue;
                      const p = (at.view(each) as unknown as Dot).position;
                      p.set(p.x * o[1] + 1, p.y * o[1] - 2, p.z * o[1] + 3);
                    }
                    break;
                  case 'seal':
                    seals = stores.map((s) => s.seal());
                    break;
                  case 'restore':
                    if (seals) stores.forEach((s, k) => s.restore(seals![k]!));
                    if (seals) seenAtAll.restores++;
                    break;
                }
              }
              writer.rebuild(stores, r + 1);
              const box = writer.bounds()!;
              seenAtAll.outside += writer.stats().outside;
              if (bounds) expect(box).toEqual(bounds);
              expect(writer.stats().outside, `round ${r}: outside count`).toBe(outsideOf(stores, box));
              for (const [x, y, z, rad] of QUERIES) expect(query(reader, x, y, z, rad), `round ${r}: query ${[x, y, z, rad].join(', ')}`).toEqual(scan(stores, x, y, z, rad));
              // A fresh writer on the same pages and box (what a restore builds) answers alike.
              const freshBuffers = allocateOctreeIndex();
              const fresh = new OctreeIndexWriter(freshBuffers, { strategy: 'adaptive-octree', splitAbove, reorderEvery: 0, ...(bounds ? { bounds } : {}) });
              fresh.adoptBounds(box);
              fresh.rebuild(stores);
              expect(fresh.bounds(), `round ${r}: a fresh writer on the box in use refits alike`).toEqual(box);
              expect(fresh.stats().outside, `round ${r}: a fresh writer's outside count`).toBe(writer.stats().outside);
              const freshReader = new OctreeIndexReader(freshBuffers);
              for (const [x, y, z, rad] of QUERIES) expect(query(freshReader, x, y, z, rad)).toEqual(query(reader, x, y, z, rad));
            }
            seenAtAll.refits += writer.stats().refits;
            seenAtAll.sorts += writer.stats().sorts;
          },
        ),
        { seed, numRuns: 150 },
      );
      // The runs did reach what they are about.
      expect(seenAtAll.outside).toBeGreaterThan(0);
      expect(seenAtAll.restores).toBeGreaterThan(0);
      expect(seenAtAll.sorts).toBeGreaterThan(0);
      if (!fixed) expect(seenAtAll.refits).toBeGreaterThan(0);
      else expect(seenAtAll.refits).toBe(0);
      console.log(JSON.stringify(seenAtAll));
    }, 120_000);
  }
});
