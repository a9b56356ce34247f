/**
 * Copy-on-write frames against a model that deep-copies the world at every seal: whatever mix of
 * spawns, despawns, writes (from the owner or a "job"), seals, releases and restores, every held
 * seal restores to exactly the state it recorded, and no frame leaks once the seals are gone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { KindStore, refGeneration, refHandle, type KindSeal } from '../src/index.js';
import { GameEntity } from './fixtures/kinds.js';
import { shuffle } from './fixtures/shuffle.js';

type Op =
  | { kind: 'spawn'; x: number }
  | { kind: 'despawn'; pick: number }
  | { kind: 'write'; pick: number; x: number }
  | { kind: 'job'; x: number }
  | { kind: 'seal' }
  | { kind: 'release'; pick: number }
  | { kind: 'restore'; pick: number }
  | { kind: 'reorder'; seed: number };

const ops = fc.array(
  fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('spawn' as const), x: fc.integer({ min: -1000, max: 1000 }) }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('despawn' as const), pick: fc.nat() }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('write' as const), pick: fc.nat(), x: fc.integer() }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('job' as const), x: fc.integer({ min: 1, max: 9 }) }), weight: 2 },
    { arbitrary: fc.constant({ kind: 'seal' as const }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('restore' as const), pick: fc.nat() }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('reorder' as const), seed: fc.nat() }), weight: 1 },
  ),
  { maxLength: 120 },
);

/** By slot: alive, generation, handle, fields; then the free slots and, by handle, the free handles' next generations. */
interface Model {
  alive: number[];
  generation: number[];
  handle: number[];
  x: number[];
  vx: number[];
  free: number[];
  freeHandles: number[];
  /** By handle: the generation its next actor gets. */
  nextGeneration: number[];
  handleCount: number;
}

const cloneModel = (m: Model): Model => ({
  alive: [...m.alive],
  generation: [...m.generation],
  handle: [...m.handle],
  x: [...m.x],
  vx: [...m.vx],
  free: [...m.free],
  freeHandles: [...m.freeHandles],
  nextGeneration: [...m.nextGeneration],
  handleCount: m.handleCount,
});

const slotState = (m: Model) => ({ alive: m.alive, generation: m.generation, handle: m.handle, x: m.x, vx: m.vx });

/** The store's state as the model sees it (slots below the high-water mark). */
function read(store: KindStore): ReturnType<typeof slotState> {
  const m = { alive: [] as number[], generation: [] as number[], handle: [] as number[], x: [] as number[], vx: [] as number[] };
  const size = store.layout.pageSize;
  for (let slot = 0; slot < store.highWater; slot++) {
    const page = store.page(Math.floor(slot / size));
    const o = slot % size;
    m.alive.push(page.alive[o]!);
    m.generation.push(page.generation[o]!);
    m.handle.push(page.handle[o]!);
    m.x.push(page.columns[0]![o * 3]!);
    m.vx.push(page.columns[1]![o * 3]!);
  }
  return m;
}

function liveSlots(m: Model): number[] {
  return m.alive.flatMap((a, slot) => (a === 1 ? [slot] : []));
}

describe('copy-on-write frames', () => {
  it('the live store and every held seal equal a model that deep-copies at each seal; no frame leaks', () => {
    fc.assert(
      fc.property(ops, (script) => {
        const store = new KindStore(GameEntity, 0);
        let model: Model = { alive: [], generation: [], handle: [], x: [], vx: [], free: [], freeHandles: [], nextGeneration: [], handleCount: 0 };
        const stale: number[] = [];
        const seals: { seal: KindSeal; model: Model }[] = [];
        for (const op of script) {
          const live = liveSlots(model);
          switch (op.kind) {
            case 'spawn': {
              const slot = model.free.length > 0 ? model.free.pop()! : model.alive.length;
              const handle = model.freeHandles.length > 0 ? model.freeHandles.pop()! : model.handleCount++;
              const generation = model.nextGeneration[handle] ?? 0;
              model.alive[slot] = 1;
              model.generation[slot] = generation;
              model.handle[slot] = handle;
              model.x[slot] = op.x;
              model.vx[slot] = 0;
              const ref = store.spawn((a) => a.position.set(op.x, 0, 0));
              expect([store.slotOf(ref), refHandle(ref), refGeneration(ref)]).toEqual([slot, handle, generation]);
              break;
            }
            case 'despawn': {
              if (live.length === 0) break;
              const slot = live[op.pick % live.length]!;
              stale.push(store.refAt(slot));
              expect(store.despawn(store.refAt(slot))).toBe(true);
              model.alive[slot] = 0;
              model.generation[slot]!++;
              model.free.push(slot);
              model.freeHandles.push(model.handle[slot]!);
              model.nextGeneration[model.handle[slot]!] = model.generation[slot]!;
              break;
            }
            case 'reorder': {
              // Live actors move to slots 0.. in a random order; dead slots are dropped.
              const order = shuffle(live, op.seed);
              store.reorder(Int32Array.from(order));
              const pick = (column: number[]) => order.map((slot) => column[slot]!);
              model = { ...model, alive: pick(model.alive), generation: pick(model.generation), handle: pick(model.handle), x: pick(model.x), vx: pick(model.vx), free: [] };
              break;
            }
            case 'write': {
              if (live.length === 0) break;
              const slot = live[op.pick % live.length]!;
              store.view(store.refAt(slot)).velocity.set(op.x, 1, 2);
              model.vx[slot] = op.x;
              break;
            }
            case 'job': {
              // What a tick does: reserve frames, then the "job" claims its pages and writes live actors in place.
              store.prepareWrites(0, store.usedPages);
              store.claimWrites(0, store.usedPages);
              for (const slot of live) {
                const page = store.page(Math.floor(slot / store.layout.pageSize));
                page.columns[0]![(slot % store.layout.pageSize) * 3]! += op.x;
                model.x[slot]! += op.x;
              }
              break;
            }
            case 'seal':
              seals.push({ seal: store.seal(), model: cloneModel(model) });
              break;
            case 'release':
              if (seals.length > 0) store.release(seals.splice(op.pick % seals.length, 1)[0]!.seal);
              break;
            case 'restore': {
              if (seals.length === 0) break;
              const held = seals[op.pick % seals.length]!;
              store.restore(held.seal);
              model = cloneModel(held.model);
              break;
            }
          }
          expect(read(store)).toEqual(slotState(model));
          expect(store.liveCount).toBe(liveSlots(model).length);
          // Every live actor's ref finds its slot, wherever it moved; refs of despawned actors stay dead.
          for (const slot of liveSlots(model)) expect(store.slotOf(store.refAt(slot))).toBe(slot);
          for (const ref of stale) if (!liveSlots(model).some((slot) => store.refAt(slot) === ref)) expect(store.isAlive(ref as never)).toBe(false);
        }
        // Every seal still holds what it recorded, free list included (the next spawns' slots).
        for (const held of seals) {
          store.restore(held.seal);
          expect(read(store)).toEqual(slotState(held.model));
          const probe = store.seal();
          const free = held.model.free;
          const taken = free.map(() => store.slotOf(store.spawn()));
          expect(taken).toEqual([...free].reverse());
          store.restore(probe);
          store.release(probe);
        }
        for (const held of seals) store.release(held.seal);
        const { made, free } = store.frameStats();
        expect(made - free).toBe(store.usedPages);
      }),
      { numRuns: 200 },
    );
  });

  it('a job copies a sealed page once, then writes in place until the next seal', () => {
    const store = new KindStore(GameEntity, 0);
    store.spawnMany(200, (a, i) => a.position.set(i, 0, 0));
    const pages = store.usedPages;
    const before = store.seal();
    store.prepareWrites(0, pages);
    store.claimWrites(0, pages);
    expect(store.frameStats().made).toBe(2 * pages);
    store.prepareWrites(0, pages);
    store.claimWrites(0, pages);
    expect(store.frameStats().made).toBe(2 * pages);
    store.release(before);
    expect(store.frameStats().free).toBe(pages);
  });
});

/** The slot a spawn would take now, found without changing the store's state: spawn, look, undo through a seal. */
function nextSpawnSlot(store: KindStore): number {
  const seal = store.seal();
  const slot = refHandle(store.spawn());
  store.restore(seal);
  store.release(seal);
  return slot;
}

describe('loading stored pages', () => {
  it('restores a store from page bytes, layout-checked, reusing frames no seal holds', () => {
    const source = new KindStore(GameEntity, 0);
    source.spawnMany(150, (a, i) => a.position.set(i, 2 * i, 3));
    source.despawn(source.refAt(7));
    const seal = source.seal();
    const image = { pages: Array.from(seal.frames, (f) => source.frameBytes(f).slice()), highWater: seal.highWater, live: seal.live, freeSlots: seal.freeSlots, handles: source.sealedHandles(seal) };

    const target = new KindStore(GameEntity, 0);
    target.spawnMany(500);
    const held = target.seal();
    target.load(image);
    expect(read(target)).toEqual(read(source));
    expect(target.slotOf(target.spawn())).toBe(7); // the free lists came along
    expect(refHandle(target.refAt(7))).toBe(7);
    target.release(held);
    expect(() => target.load({ ...image, pages: [new Uint8Array(10)] })).toThrowError(expect.objectContaining({ code: 'ACTOR_LAYOUT_MISMATCH' }));
  });
});
