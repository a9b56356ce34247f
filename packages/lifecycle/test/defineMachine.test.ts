/** Definition validation: every mistake is a MACHINE_INVALID LifecycleError that says what and where. */
import { describe, expect, it } from 'vitest';

import { createMachine, defineMachine, isLifecycleError, LifecycleError, type MachineSpec } from '../src/index.js';

function errorOf(spec: unknown): LifecycleError {
  try {
    defineMachine(spec as MachineSpec<string, string>);
  } catch (error) {
    expect(isLifecycleError(error, 'MACHINE_INVALID')).toBe(true);
    return error as LifecycleError;
  }
  throw new Error('defineMachine accepted an invalid spec');
}

describe('defineMachine validation', () => {
  it('names an unknown target with its state and event, and lists the states', () => {
    const error = errorOf({ initial: 'closed', transitions: { closed: { open: 'opend' }, opened: { close: 'closed' } } });
    expect(error.message).toBe("invalid machine: transitions.closed.open → 'opend' is not a state (states: closed, opened)");
  });

  it('rejects an empty machine', () => {
    expect(errorOf({ initial: 'x', transitions: {} }).message).toMatch(/transitions is empty/);
  });

  it('rejects an initial state that is not a state', () => {
    expect(errorOf({ initial: 'ajar', transitions: { closed: {} } }).message).toBe("invalid machine: initial 'ajar' is not a state (states: closed)");
  });

  it('names an unknown anyState target and an unknown anyStateExcept entry', () => {
    expect(errorOf({ initial: 'a', transitions: { a: {} }, anyState: { fail: 'broken' } }).message).toMatch(/anyState\.fail → 'broken' is not a state/);
    expect(errorOf({ initial: 'a', transitions: { a: {} }, anyState: { fail: 'a' }, anyStateExcept: ['a', 'zz'] }).message).toMatch(
      /anyStateExcept\[1\] 'zz' is not a state/,
    );
  });

  it('rejects rows and targets of the wrong kind', () => {
    expect(errorOf({ initial: 'a', transitions: { a: 42 } }).message).toMatch(/transitions\.a must be an object/);
    expect(errorOf({ initial: 'a', transitions: { a: { go: 7 } } }).message).toMatch(/transitions\.a\.go → 7 is not a state/);
    expect(errorOf({ initial: 'a', transitions: [] }).message).toMatch(/transitions must be an object/);
    expect(errorOf(null).message).toMatch(/the spec must be an object/);
    expect(errorOf({ initial: 'a', transitions: { a: {} }, anyStateExcept: 'a' }).message).toMatch(/anyStateExcept must be an array/);
  });

  it('folds anyState into every row except the excepted ones; a row’s own entry wins', () => {
    const d = defineMachine({
      initial: 'idle',
      transitions: { idle: { go: 'busy', fail: 'idle' }, busy: { done: 'idle' }, broken: {} },
      anyState: { fail: 'broken' },
      anyStateExcept: ['broken'],
    });
    expect(d.table.get('idle')?.toObject()).toEqual({ go: 'busy', fail: 'idle' });
    expect(d.table.get('busy')?.toObject()).toEqual({ done: 'idle', fail: 'broken' });
    expect(d.table.get('broken')?.size).toBe(0);
    expect(d.states).toEqual(['idle', 'busy', 'broken']);
    expect(d.events).toEqual(['go', 'fail', 'done']);
    expect(Object.isFrozen(d)).toBe(true);
    expect(Object.isFrozen(d.states)).toBe(true);
  });

  it('createMachine re-checks a hand-made definition', () => {
    const good = defineMachine({ initial: 'a', transitions: { a: { go: 'b' }, b: {} } });
    const bad = { ...good, table: good.table.delete('b') };
    expect(() => createMachine(bad)).toThrow(/table\.a\.go → 'b' is not a state/);
    expect(() => createMachine(good, { historyLimit: -1 })).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }));
  });
});
