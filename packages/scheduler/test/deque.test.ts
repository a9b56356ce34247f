import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createDeque, EMPTY, isSchedulerError } from '../src/index.js';
import { fcSeed } from './helpers.js';

describe('Chase–Lev deque in one thread', () => {
  it('pops LIFO at the bottom and steals FIFO at the top', () => {
    const { local, stealer } = createDeque(8);
    for (let i = 0; i < 5; i++) expect(local.push(i)).toBe(true);
    expect(local.pop()).toBe(4);
    expect(stealer.steal()).toBe(0);
    expect(stealer.steal()).toBe(1);
    expect(local.len()).toBe(2);
    expect(local.pop()).toBe(3);
    expect(local.pop()).toBe(2);
    expect(local.pop()).toBe(EMPTY);
    expect(stealer.steal()).toBe(EMPTY);
  });

  it('refuses a push when full, and wraps around a capacity of 4', () => {
    const { local, stealer } = createDeque(4);
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 4; i++) expect(local.push(round * 10 + i)).toBe(true);
      expect(local.push(99)).toBe(false);
      expect(stealer.steal()).toBe(round * 10);
      expect(local.push(round * 10 + 4)).toBe(true);
      expect([local.pop(), local.pop(), stealer.steal(), local.pop(), local.pop()]).toEqual([
        round * 10 + 4, round * 10 + 3, round * 10 + 1, round * 10 + 2, EMPTY,
      ]);
    }
  });

  it('hands the last element to exactly one side', () => {
    const { local, stealer } = createDeque(2);
    local.push(7);
    expect(stealer.steal()).toBe(7);
    expect(local.pop()).toBe(EMPTY);
    local.push(8);
    expect(local.pop()).toBe(8);
    expect(stealer.steal()).toBe(EMPTY);
  });

  it('steals half (rounded up) into another deque', () => {
    const victim = createDeque(16);
    const thief = createDeque(16);
    for (let i = 0; i < 7; i++) victim.local.push(i);
    const out = victim.stealer.stealHalfInto(thief.local, 16, { moved: 0, lostRaces: 0 });
    expect(out).toEqual({ moved: 4, lostRaces: 0 });
    expect([thief.local.pop(), thief.local.pop(), thief.local.pop(), thief.local.pop()]).toEqual([3, 2, 1, 0]);
    expect(victim.local.len()).toBe(3);
  });

  it('pushes a range reversed and pops a group only when more than the group is left', () => {
    const { local, stealer } = createDeque(8);
    local.pushReversed(Int32Array.from([10, 11, 12, 13, 14, 15]), 1, 5); // pushes 15, 14, 13, 12, 11
    const group = new Int32Array(4);
    expect(local.popMany(group)).toBe(4);
    expect(Array.from(group)).toEqual([11, 12, 13, 14]);
    expect(local.popMany(group)).toBe(0); // one left: not more than 4
    expect(stealer.steal()).toBe(15);
    expect(local.pop()).toBe(EMPTY);
  });

  it('rejects capacities that are not powers of two', () => {
    for (const bad of [0, 1, 3, 12, 1.5, 2 ** 25]) {
      expect(() => createDeque(bad)).toThrowError(expect.objectContaining({ code: 'SCHEDULER_INVALID_ARGUMENT' }));
    }
    try {
      createDeque(6);
    } catch (e) {
      expect(isSchedulerError(e, 'SCHEDULER_INVALID_ARGUMENT')).toBe(true);
      expect((e as Error).message).toContain('got 6');
    }
  });

  it('matches a plain array model under random operations (fast-check)', () => {
    const op = fc.constantFrom('push' as const, 'pop' as const, 'steal' as const, 'popMany' as const);
    const group = new Int32Array(3);
    fc.assert(
      fc.property(fc.constantFrom(2, 4, 8), fc.array(op, { maxLength: 300 }), (capacity, ops) => {
        const { local, stealer } = createDeque(capacity);
        const model: number[] = [];
        let next = 0;
        for (const o of ops) {
          if (o === 'push') {
            const ok = local.push(next);
            expect(ok).toBe(model.length < capacity);
            if (ok) model.push(next);
            next++;
          } else if (o === 'popMany') {
            const n = local.popMany(group);
            if (model.length > group.length) {
              expect(n).toBe(group.length);
              expect(Array.from(group)).toEqual(model.splice(model.length - group.length).reverse());
            } else expect(n).toBe(0);
          } else if (o === 'pop') {
            expect(local.pop()).toBe(model.length > 0 ? model.pop() : EMPTY);
          } else {
            expect(stealer.steal()).toBe(model.length > 0 ? model.shift() : EMPTY);
          }
          expect(local.len()).toBe(model.length);
        }
      }),
      { seed: fcSeed('deque model'), numRuns: 200 },
    );
  });
});
