/**
 * Refs across moves, against a model kept by ref (not by slot): whatever mix of spawns,
 * despawns, suspensions, writes, seals, restores and reorders, every ref finds its actor — in the
 * owner's store and in a store attached before the map grew — a restart from any held seal gives
 * an actor its own sealed values (or the initial ones if the seal does not hold *it*, even when it
 * holds its handle), a store loaded from a seal's bytes resolves every ref the same and issues the
 * same refs next, and the handle map's frames do not leak. A reorder moves every column of every
 * element type bit for bit.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Actor, attachKindStore, field, KindStore, refHandle, type ActorRef, type KindSeal, type StoredKind } from '../src/index.js';
import type { HandleTable } from '../src/handleTable.js';
import { Everything, GameEntity } from './fixtures/kinds.js';
import { shuffle } from './fixtures/shuffle.js';

/** Pages of 4 actors: the map spans many pages and its buffer grows past an attached store's view. */
class Tiny extends Actor({ position: field.vec3(), mass: field.f32() }, { pageSize: 4 }) {
  handle(): void {}
}

type Op =
  | { kind: 'spawn'; x: number }
  | { kind: 'despawn'; pick: number }
  | { kind: 'suspend'; pick: number }
  | { kind: 'resume'; pick: number }
  | { kind: 'write'; pick: number; x: number }
  | { kind: 'seal' }
  | { kind: 'release'; pick: number }
  | { kind: 'restore'; pick: number }
  | { kind: 'reorder'; seed: number }
  | { kind: 'reorderWithin'; first: number; pages: number; seed: number };

const ops = fc.array(
  fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('spawn' as const), x: fc.integer({ min: 1, max: 1000 }) }), weight: 6 },
    { arbitrary: fc.record({ kind: fc.constant('despawn' as const), pick: fc.nat() }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('suspend' as const), pick: fc.nat() }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('resume' as const), pick: fc.nat() }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('write' as const), pick: fc.nat(), x: fc.integer({ min: 1, max: 1000 }) }), weight: 2 },
    { arbitrary: fc.constant({ kind: 'seal' as const }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('restore' as const), pick: fc.nat() }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('reorder' as const), seed: fc.nat() }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('reorderWithin' as const), first: fc.nat(), pages: fc.integer({ min: 1, max: 3 }), seed: fc.nat() }), weight: 3 },
  ),
  { maxLength: 150 },
);

/** By ref: the actor's `position.x` and whether it is suspended. */
type Model = Map<number, { x: number; suspended: boolean }>;
const clone = (m: Model): Model => new Map([...m].map(([ref, a]) => [ref, { ...a }]));

/** `position.x` of the actor in `slot`, read from the page (a suspended actor has no view). */
const xAt = (store: KindStore, slot: number) => store.page(Math.floor(slot / store.layout.pageSize)).columns[0]![(slot % store.layout.pageSize) * 3]!;

/** The handle map's frames (made and free), through the store's private field: tests only. */
const handleFrames = (store: KindStore) => (store as unknown as { handles: HandleTable }).handles.pages.stats();

const imageOf = (store: KindStore, seal: KindSeal): StoredKind => ({
  pages: Array.from(seal.frames, (f) => store.frameBytes(f).slice()),
  highWater: seal.highWater,
  live: seal.live,
  freeSlots: seal.freeSlots,
  handles: store.sealedHandles(seal),
});

/** Per page: its membership stamp and who lives there (alive flag, handle, generation per slot). */
function membershipOf(store: KindStore): { stamp: number; who: string }[] {
  return Array.from({ length: store.usedPages }, (_, p) => {
    const page = store.page(p);
    return { stamp: store.membershipStamp(p), who: `${page.alive.join()}|${page.handle.join()}|${page.generation.join()}` };
  });
}

/** A page whose stamp did not move holds the same actors in the same states. */
function expectStampsHonest(store: KindStore, before: { stamp: number; who: string }[]): void {
  const after = membershipOf(store);
  before.forEach((was, p) => {
    if (p < after.length && after[p]!.stamp === was.stamp) expect(after[p]!.who, `page ${p}: membership changed under an unchanged stamp`).toBe(was.who);
  });
}

describe('refs across reorders', () => {
  it.each([
    ['GameEntity, pages of 64', GameEntity],
    ['pages of 4', Tiny],
  ] as const)('every ref finds its actor (owner and attached store), restarts read the actor\'s own sealed values, loads resolve the same, no map frame leaks (property; %s)', (_, kind) => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
    console.log(`fast-check seed ${seed}`);
    fc.assert(
      fc.property(ops, (script) => {
        const store = new KindStore(kind as typeof GameEntity, 2);
        // Attached while the map is empty: every later page of it is past this store's first view.
        const attached = attachKindStore(kind as typeof GameEntity, store.describe());
        let model: Model = new Map();
        const stale = new Set<number>();
        const seals: { seal: KindSeal; model: Model }[] = [];
        for (const op of script) {
          const refs = [...model.keys()];
          const pick = (n: number) => refs[n % refs.length]! as ActorRef;
          const before = membershipOf(store);
          switch (op.kind) {
            case 'spawn': {
              const ref = store.spawn((a) => a.position.set(op.x, 0, 0));
              model.set(ref, { x: op.x, suspended: false });
              stale.delete(ref);
              break;
            }
            case 'despawn': {
              if (refs.length === 0) break;
              const ref = pick(op.pick);
              if (model.get(ref)!.suspended) break; // a suspended actor is not alive: despawn refuses it
              expect(store.despawn(ref)).toBe(true);
              model.delete(ref);
              stale.add(ref);
              break;
            }
            case 'suspend':
            case 'resume': {
              if (refs.length === 0) break;
              const ref = pick(op.pick);
              if (op.kind === 'suspend') store.suspend(store.slotOf(ref));
              else store.resume(store.slotOf(ref));
              model.get(ref)!.suspended = op.kind === 'suspend';
              break;
            }
            case 'write': {
              if (refs.length === 0) break;
              const ref = pick(op.pick);
              if (model.get(ref)!.suspended) break;
              store.view(ref).position.x = op.x;
              model.get(ref)!.x = op.x;
              break;
            }
            case 'reorder': {
              const slots = refs.map((ref) => store.slotOf(ref as ActorRef));
              store.reorder(Int32Array.from(shuffle(slots, op.seed)));
              expect(store.highWater).toBe(refs.length);
              break;
            }
            case 'reorderWithin': {
              // A bounded step of a spatial sort: the live actors of a few pages, shuffled among
              // those pages' live slots; free slots, counts and every other page stay as they are.
              if (store.usedPages === 0) break;
              const pageSize = store.layout.pageSize;
              const first = op.first % store.usedPages;
              const end = first + op.pages;
              const inRange = (slot: number) => slot >= first * pageSize && slot < end * pageSize;
              const slots = refs.map((ref) => store.slotOf(ref as ActorRef)).filter(inRange);
              const outside = refs.filter((ref) => !inRange(store.slotOf(ref as ActorRef))).map((ref) => [ref, store.slotOf(ref as ActorRef)] as const);
              const before = { highWater: store.highWater, live: store.liveCount, slots: [...slots].sort((a, b) => a - b) };
              store.reorderWithin(first, end, Int32Array.from(shuffle(slots, op.seed)));
              expect({ highWater: store.highWater, live: store.liveCount }).toEqual({ highWater: before.highWater, live: before.live });
              expect(refs.map((ref) => store.slotOf(ref as ActorRef)).filter(inRange).sort((a, b) => a - b)).toEqual(before.slots);
              for (const [ref, slot] of outside) expect(store.slotOf(ref as ActorRef)).toBe(slot);
              break;
            }
            case 'seal':
              seals.push({ seal: store.seal(), model: clone(model) });
              break;
            case 'release':
              if (seals.length > 0) store.release(seals.splice(op.pick % seals.length, 1)[0]!.seal);
              break;
            case 'restore': {
              if (seals.length === 0) break;
              const held = seals[op.pick % seals.length]!;
              store.restore(held.seal);
              model = clone(held.model);
              for (const ref of stale) if (model.has(ref)) stale.delete(ref);
              break;
            }
          }
          expectStampsHonest(store, before);
          for (const [ref, a] of model) {
            const slot = store.slotOf(ref as ActorRef);
            expect(slot).toBeGreaterThanOrEqual(0);
            expect(store.refAt(slot)).toBe(ref);
            expect(xAt(store, slot)).toBe(a.x);
            expect(store.liveSlotOf(ref as ActorRef)).toBe(a.suspended ? -1 : slot);
            expect(store.isSuspended(slot)).toBe(a.suspended);
            expect(attached.slotOf(ref as ActorRef)).toBe(slot);
            expect(attached.liveSlotOf(ref as ActorRef)).toBe(a.suspended ? -1 : slot);
          }
          for (const ref of stale) {
            if (model.has(ref)) continue;
            expect(store.slotOf(ref as ActorRef)).toBe(-1);
            expect(attached.slotOf(ref as ActorRef)).toBe(-1);
          }
        }

        // Restarts from every held seal, whatever moved since: its own values, or initial (0).
        for (const held of seals) {
          const probe = store.seal();
          for (const [ref] of model) {
            const slot = store.slotOf(ref as ActorRef);
            store.restartSlot(slot, held.seal);
            expect(xAt(store, slot), `ref ${ref}`).toBe(held.model.get(ref)?.x ?? 0);
          }
          store.restore(probe);
          store.release(probe);
        }

        // A store loaded from the bytes of a seal of the current state resolves every ref alike.
        const now = store.seal();
        const loaded = new KindStore(kind as typeof GameEntity, 2);
        loaded.spawnMany(70); // a different state before the load
        loaded.load(imageOf(store, now));
        for (const [ref, a] of model) {
          expect(loaded.slotOf(ref as ActorRef)).toBe(store.slotOf(ref as ActorRef));
          expect(loaded.liveSlotOf(ref as ActorRef)).toBe(store.liveSlotOf(ref as ActorRef));
          expect(xAt(loaded, loaded.slotOf(ref as ActorRef))).toBe(a.x);
        }
        for (const ref of stale) if (!model.has(ref)) expect(loaded.slotOf(ref as ActorRef)).toBe(-1);
        // … and issues the same refs in the same slots next (free slots and handles came along).
        for (let i = 0; i < 4; i++) {
          const a = store.spawn();
          const b = loaded.spawn();
          expect([b, loaded.slotOf(b)]).toEqual([a, store.slotOf(a)]);
        }
        store.restore(now);
        store.release(now);

        // No frame of the handle map leaks once the seals are gone.
        for (const held of seals) store.release(held.seal);
        const { made, free } = handleFrames(store);
        expect(made - free).toBe(Math.ceil(store.handleCount / store.layout.pageSize));
        const actors = store.frameStats();
        expect(actors.made - actors.free).toBe(store.usedPages);
      }),
      { seed, numRuns: 200 },
    );
  });

  it('a restart from a seal older than a reorder finds the actor in its old slot, and not the new actor that took a freed handle', () => {
    const store = new KindStore(GameEntity, 0);
    const refs = Array.from({ length: 130 }, (_, i) => store.spawn((a) => a.position.set(i + 1, 0, 0)));
    const old = store.seal();
    // 5 goes and its handle is reused; everyone moves (reversed, dead slot dropped).
    store.despawn(refs[5]!);
    const live = refs.filter((ref) => store.isAlive(ref));
    store.reorder(Int32Array.from(live.map((ref) => store.slotOf(ref)).reverse()));
    const newcomer = store.spawn((a) => a.position.set(999, 0, 0));
    expect(refHandle(newcomer)).toBe(refHandle(refs[5]!));
    for (const ref of live) store.view(ref).position.x = -1;
    for (const ref of live) {
      store.restartSlot(store.slotOf(ref), old);
      expect(store.view(ref).position.x).toBe(refs.indexOf(ref) + 1);
    }
    store.restartSlot(store.slotOf(newcomer), old);
    expect(store.view(newcomer).position.x).toBe(0); // the seal holds handle 5 for another actor
    store.release(old);
  });

  it('moves every column of every element type bit for bit, NaN payloads included (property)', () => {
    const bytesOf = (store: KindStore, ref: ActorRef): number[] => {
      const slot = store.slotOf(ref);
      const page = store.page(Math.floor(slot / store.layout.pageSize));
      const o = slot % store.layout.pageSize;
      const bytes = new Uint8Array(page.buffer, page.byteOffset, store.layout.pageBytes);
      const out: number[] = [];
      for (const column of store.layout.columns) {
        const width = (column.length / store.layout.pageSize) * (column.spec.element === 'f64' ? 8 : column.spec.element === 'u8' ? 1 : 4);
        for (let b = 0; b < width; b++) out.push(bytes[column.byteOffset + o * width + b]!);
      }
      return out;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.array(fc.nat(), { maxLength: 20 }), fc.nat(), fc.uint8Array({ minLength: 4096, maxLength: 4096 }), (n, kills, seed, noise) => {
        const store = new KindStore(Everything, 0); // pages of 8; f64, f32, i32, u32 and u8 columns
        const refs = Array.from({ length: n }, () => store.spawn());
        // Arbitrary bytes in every column of every slot: NaNs with payloads, denormals, any u8.
        for (let p = 0; p < store.usedPages; p++) {
          const page = store.page(p);
          for (const column of store.layout.columns) {
            const width = (column.length / store.layout.pageSize) * (column.spec.element === 'f64' ? 8 : column.spec.element === 'u8' ? 1 : 4);
            const bytes = new Uint8Array(page.buffer, page.byteOffset + column.byteOffset, width * store.layout.pageSize);
            for (let b = 0; b < bytes.length; b++) bytes[b] = noise[(p * 977 + column.byteOffset + b) % noise.length]!;
          }
        }
        for (const k of kills) if (n > 0) store.despawn(refs[k % n]!);
        const live = refs.filter((ref) => store.isAlive(ref));
        const before = live.map((ref) => bytesOf(store, ref));
        store.reorder(Int32Array.from(shuffle(live.map((ref) => store.slotOf(ref)), seed)));
        expect(live.map((ref) => bytesOf(store, ref))).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('a store reserved for one page keeps as many sealed ticks as its actors\' frames allow: the handle map does not run out first', () => {
    const store = new KindStore(GameEntity, 0, { maxActors: GameEntity.layout.pageSize });
    const seals: KindSeal[] = [];
    let ref = store.spawn();
    for (let t = 0; t < 300; t++) {
      // Every tick writes the map (a despawn or a spawn): each seal holds its own copy of its page.
      if (t % 2 === 0) store.despawn(ref);
      else ref = store.spawn();
      seals.push(store.seal());
    }
    expect(store.liveCount).toBe(1);
    for (const seal of seals) store.release(seal);
    const { made, free } = handleFrames(store);
    expect(made - free).toBe(1);
  });

  it('a worker attached while the store was small resolves every ref as the owner does after the map grew, moved and was sealed', async () => {
    const store = new KindStore(GameEntity, 1);
    const refs = [store.spawn((a) => a.position.set(1, 0, 0))];
    const worker = new Worker(new URL('./fixtures/bootstrap.mjs', import.meta.url), {
      workerData: { entry: new URL('./resolveRefs.worker.ts', new URL('./fixtures/', import.meta.url)).href, descriptor: store.describe() },
    });
    try {
      await once(worker, 'message'); // attached: its view of the map's buffer is as short as it gets
      const seals: KindSeal[] = [];
      for (let round = 0; round < 4; round++) {
        // Grow (new map pages and frames), despawn some, suspend one, seal (the next writes copy), move everyone.
        for (let i = 0; i < 700; i++) refs.push(store.spawn((a) => a.position.set(refs.length + 1, 0, 0)));
        for (let i = round; i < refs.length; i += 7) store.despawn(refs[i]!);
        store.suspend(store.slotOf(refs[refs.length - 1]!));
        seals.push(store.seal());
        const live = refs.filter((ref) => store.slotOf(ref) >= 0);
        store.reorder(Int32Array.from(shuffle(live.map((ref) => store.slotOf(ref)), round + 1)));
        worker.postMessage(refs);
        const [answers] = (await once(worker, 'message')) as [[number, number, number][]];
        const size = store.layout.pageSize;
        expect(answers).toEqual(
          refs.map((ref) => {
            const slot = store.slotOf(ref);
            return [slot, store.liveSlotOf(ref), slot < 0 ? NaN : store.page(Math.floor(slot / size)).columns[0]![(slot % size) * 3]!];
          }),
        );
      }
      for (const seal of seals) store.release(seal);
    } finally {
      worker.postMessage(null);
      await worker.terminate();
    }
  });
});
