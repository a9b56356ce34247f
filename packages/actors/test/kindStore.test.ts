import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ActorError, attachKindStore, KindStore, layoutOf, refSlot, type ActorRef } from '../src/index.js';
import { Everything, GameEntity } from './fixtures/kinds.js';

describe('layoutOf', () => {
  it('aligns every column and counts the hidden columns in bytes per actor', () => {
    const layout = GameEntity.layout;
    for (const column of layout.columns) expect(column.byteOffset % 8).toBe(0);
    // two vec3 f64 (48 bytes) + handle (4) + alive (1) + generation (2), padded to 8 per page
    expect(layout.bytesPerActor).toBeGreaterThanOrEqual(55);
    expect(layout.bytesPerActor).toBeLessThan(56);
  });

  it('rejects page sizes that are not powers of two and non-field specs', () => {
    expect(() => layoutOf({}, 100)).toThrow(ActorError);
    expect(() => layoutOf({ x: { nope: true } as never })).toThrowError(/field x is not a field spec/);
  });
});

describe('KindStore', () => {
  it('spawns with initial values and an initializer, readable through a view', () => {
    const store = new KindStore(Everything, 3);
    const ref = store.spawn((a) => {
      a.energy = 42.5;
      a.cell.set(1.5, -2);
      a.mood = 'angry';
    });
    const a = store.view(ref);
    expect(a.energy).toBe(42.5);
    expect(a.count).toBe(-1);
    expect(a.awake).toBe(true);
    expect(a.mood).toBe('angry');
    expect(a.target).toBe(-1);
    expect(a.heading.toJSON()).toEqual({ x: 0, y: 0, z: 0, w: 1 });
    expect(a.cell.toJSON()).toEqual({ x: 1.5, y: -2 });
    a.small = 0.1;
    expect(a.small).toBeCloseTo(0.1, 6);
    expect(a.small).not.toBe(0.1); // stored as f32
    expect(() => (a.mood = 'sleepy' as never)).toThrowError(/enum value "sleepy" is not one of calm, angry, asleep/);
  });

  it('makes a despawned ref stale and reuses the slot with a new generation', () => {
    const store = new KindStore(GameEntity, 1);
    const first = store.spawn();
    expect(store.despawn(first)).toBe(true);
    expect(store.despawn(first)).toBe(false);
    expect(store.isAlive(first)).toBe(false);
    const second = store.spawn();
    expect(refSlot(second)).toBe(refSlot(first));
    expect(second).not.toBe(first);
    expect(() => store.view(first)).toThrowError(expect.objectContaining({ code: 'ACTOR_REF_STALE' }));
    expect(store.isAlive(second)).toBe(true);
  });

  it('shows an attached store every page and actor spawned after it attached, without a message', () => {
    const store = new KindStore(GameEntity, 4);
    store.spawn((e) => e.position.set(1, 2, 3));
    const attached = attachKindStore(GameEntity, store.describe());
    for (let i = 0; i < 1000; i++) store.spawn((e) => e.position.set(i, 0, 0)); // 64 per page: grows many times
    expect(attached.highWater).toBe(1001);
    expect(attached.liveCount).toBe(1001);
    expect(attached.usedPages).toBe(16);
    expect(attached.view(store.refAt(1000)).position.x).toBe(999);
    attached.view(store.refAt(0)).position.x = 42;
    expect(store.view(store.refAt(0)).position.x).toBe(42);
  });

  it('refuses to attach a store of another layout', () => {
    const store = new KindStore(GameEntity, 4);
    expect(() => attachKindStore(Everything as never, store.describe())).toThrowError(expect.objectContaining({ code: 'ACTOR_LAYOUT_MISMATCH' }));
  });

  it('stops at the reserved maximum with ACTOR_CAPACITY', () => {
    const store = new KindStore(GameEntity, 4, { maxActors: 100 });
    store.spawnMany(128); // rounded up to whole pages of 64
    expect(() => store.spawn()).toThrowError(expect.objectContaining({ code: 'ACTOR_CAPACITY' }));
  });

  it('never confuses kinds: a ref of another kind id is not alive here', () => {
    const a = new KindStore(GameEntity, 1);
    const b = new KindStore(GameEntity, 2);
    const ref = a.spawn();
    b.spawn();
    expect(b.isAlive(ref)).toBe(false);
  });

  it('agrees with a Map model under any spawn/despawn sequence (property)', () => {
    const seed = Date.now() % 100_000;
    console.log(`fast-check seed ${seed}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant<'spawn'>('spawn'), fc.nat(64)), { maxLength: 300 }), (ops) => {
        const store = new KindStore(GameEntity, 5);
        const model = new Map<ActorRef, number>();
        let next = 0;
        for (const op of ops) {
          if (op === 'spawn') {
            const value = next++;
            const ref = store.spawn((e) => e.position.set(value, 0, 0));
            expect(model.has(ref)).toBe(false);
            model.set(ref, value);
          } else {
            const refs = [...model.keys()];
            if (refs.length === 0) continue;
            const ref = refs[op % refs.length]!;
            expect(store.despawn(ref)).toBe(true);
            model.delete(ref);
          }
        }
        expect(store.liveCount).toBe(model.size);
        for (const [ref, value] of model) expect(store.view(ref).position.x).toBe(value);
      }),
      { seed, numRuns: 100 },
    );
  });
});

describe('KindStore.reorderWithin', () => {
  it('refuses an order that is not the live slots of the range, naming the slot, before anything moves', () => {
    const store = new KindStore(GameEntity, 0, { maxActors: 4096 * 4 });
    const refs = Array.from({ length: 20 }, (_, i) => store.spawn((e) => e.position.set(i, 0, 0)));
    store.despawn(refs[3]!);
    const pageSize = store.layout.pageSize;
    const live = refs.filter((_, i) => i !== 3).map((ref) => store.slotOf(ref));
    const cases: [Int32Array, RegExp][] = [
      [Int32Array.from(live.slice(1)), /got 18 slots for the 19 live actors/],
      [Int32Array.from([...live.slice(1), live[1]!]), /is listed twice/],
      [Int32Array.from([...live.slice(1), 3]), /holds no live actor/],
      [Int32Array.from([...live.slice(1), pageSize + 1]), /is not a slot of \[0, 20\)/],
    ];
    for (const [order, message] of cases) {
      expect(() => store.reorderWithin(0, 1, order)).toThrowError(expect.objectContaining({ code: 'ACTOR_ORDER_INVALID', message: expect.stringMatching(message) }));
      expect(refs.filter((_, i) => i !== 3).map((ref) => store.view(ref).position.x)).toEqual(live.map((_, k) => (k < 3 ? k : k + 1)));
    }
    // A valid one: reversed; the free slot 3 stays free, every ref finds its actor.
    store.reorderWithin(0, 1, Int32Array.from([...live].reverse()));
    expect(store.isAlive(refs[3]!)).toBe(false);
    refs.forEach((ref, i) => {
      if (i !== 3) expect(store.view(ref).position.x).toBe(i);
    });
    expect(store.slotOf(refs[0]!)).toBe(19);
    expect(() => store.reorderWithin(2, 1, new Int32Array(0))).toThrowError(ActorError);
  });
});
