import { describe, expect, it } from 'vitest';

import { ActorError, defineEvent, defineMessage, KindStore, makeRef, recordTypeById } from '../src/index.js';
import { GameEntity } from './fixtures/kinds.js';

describe('defineEvent / defineMessage', () => {
  const Damage = defineMessage('Damage', { amount: 'f64', from: 'ref', crit: 'bool', count: 'i32', where: 'vec3' });

  it('round-trips a payload through float64 lanes', () => {
    const out = new Float64Array(Damage.lanes + 2);
    const payload = { amount: 2.5, from: makeRef(1, 2, 3), crit: true, count: -4, where: { x: 1, y: 2, z: 3 } };
    Damage.encode(payload, out, 2);
    expect(Damage.lanes).toBe(7);
    expect(Damage.decode(out, 2)).toEqual(payload);
  });

  it('takes a vec3 view as the whole payload of a one-field event', () => {
    const Moved = defineEvent('Moved', { position: 'vec3' });
    const store = new KindStore(GameEntity, 0);
    const ref = store.spawn((e) => e.position.set(4, 5, 6));
    const out = new Float64Array(3);
    Moved.encode(store.view(ref).position, out, 0);
    expect([...out]).toEqual([4, 5, 6]);
    Moved.encode({ position: { x: 1, y: 1, z: 1 } }, out, 0);
    expect([...out]).toEqual([1, 1, 1]);
  });

  it('names the field and the expectation on a bad value', () => {
    const out = new Float64Array(16);
    const bad = (payload: unknown) => () => Damage.encode(payload as never, out, 0);
    expect(bad({ amount: '3', from: 0, crit: false, count: 1, where: { x: 0, y: 0, z: 0 } })).toThrowError(/message Damage: field amount = "3", expected a number/);
    expect(bad({ amount: 1, from: -5, crit: false, count: 1, where: { x: 0, y: 0, z: 0 } })).toThrowError(/field from = -5, expected an actor ref/);
    expect(bad({ amount: 1, from: 0, crit: false, count: 1.5, where: { x: 0, y: 0, z: 0 } })).toThrowError(/field count = 1.5, expected an integer in \[-2147483648, 2147483647\] \(i32\)/);
    expect(bad({ amount: 1, from: 0, crit: false, count: 1, where: { x: 0, y: 'a', z: 0 } })).toThrowError(/field where.y = "a"/);
    expect(bad(null)).toThrow(ActorError);
    expect(() => defineEvent('Odd', { v: 'vec9' as never })).toThrowError(expect.objectContaining({ code: 'ACTOR_SCHEMA_INVALID' }));
  });

  it('gives each type a thread-independent id, accepts an identical redefinition and refuses a different one', () => {
    const A = defineEvent('Registered', { v: 'f64' });
    expect(recordTypeById(A.id)).toBe(A);
    expect(defineEvent('Registered', { v: 'f64' })).toBe(A);
    expect(defineMessage('Registered', { v: 'f64' }).id).not.toBe(A.id);
    expect(() => defineEvent('Registered', { v: 'i32' })).toThrowError(/defined twice with different fields/);
  });
});
