/** The automaton's behaviour around listeners, history and the engine lifecycle's walk-through. */
import { afterEach, describe, expect, it, vi } from 'vitest';

import { createEngineLifecycle, createMachine, defineMachine, type Transition } from '../src/index.js';

const door = defineMachine({
  initial: 'closed',
  transitions: { closed: { open: 'opened', lock: 'locked' }, opened: { close: 'closed' }, locked: { unlock: 'closed' } },
});
type DoorTransition = Transition<'closed' | 'opened' | 'locked', 'open' | 'close' | 'lock' | 'unlock'>;

afterEach(() => {
  vi.useRealTimers();
});

describe('engine lifecycle', () => {
  it('walks start → run → pause → step → rewind → stop', () => {
    const engine = createEngineLifecycle();
    expect(engine.state).toBe('created');
    const path = ['start', 'started', 'pause', 'step', 'stepped', 'rewind', 'rewound', 'resume', 'stop', 'stopped'] as const;
    expect(path.map((e) => engine.send(e))).toEqual(['starting', 'running', 'paused', 'stepping', 'paused', 'rewinding', 'paused', 'running', 'stopping', 'stopped']);
    expect(engine.allowed()).toEqual([]);
    expect(engine.can('fail')).toBe(false);
    expect(() => engine.send('start')).toThrow("event 'start' is not allowed in state 'stopped' (it accepts no events)");
  });

  it('fails from anywhere but stopped and failed, then recovers to paused', () => {
    const engine = createEngineLifecycle();
    engine.send('start');
    expect(engine.send('fail')).toBe('failed');
    expect(engine.allowed()).toEqual(['recover', 'stop']);
    expect(() => engine.send('fail')).toThrow(expect.objectContaining({ code: 'TRANSITION_NOT_ALLOWED', state: 'failed', event: 'fail' }));
    expect([engine.send('recover'), engine.send('recovered')]).toEqual(['recovering', 'paused']);
  });
});

describe('listeners', () => {
  it('a throwing listener does not stop the others or the machine; the error goes to onListenerError', () => {
    const errors: unknown[] = [];
    const m = createMachine(door, { onListenerError: (error, t) => errors.push([error, t.seq]) });
    const boom = new Error('boom');
    const seen: number[] = [];
    m.subscribe(() => {
      throw boom;
    });
    m.subscribe((t) => seen.push(t.seq));
    expect(m.send('open')).toBe('opened');
    expect(m.send('close')).toBe('closed');
    expect(seen).toEqual([1, 2]);
    expect(errors).toEqual([
      [boom, 1],
      [boom, 2],
    ]);
  });

  it('without onListenerError the error is re-thrown in a new macrotask, not from send', () => {
    vi.useFakeTimers();
    const m = createMachine(door);
    m.subscribe(() => {
      throw new Error('listener failed');
    });
    expect(m.send('open')).toBe('opened');
    expect(() => vi.runAllTimers()).toThrow('listener failed');
  });

  it('a listener that sends: every listener still sees every transition in seq order', () => {
    const m = createMachine(door);
    const first: string[] = [];
    const second: string[] = [];
    m.subscribe((t) => {
      first.push(`${t.seq}:${t.event}`);
      if (t.to === 'opened') m.send('close'); // re-entrant; returns the new state at once
    });
    m.subscribe((t) => second.push(`${t.seq}:${t.event}`));
    m.send('open');
    expect(m.state).toBe('closed');
    expect(first).toEqual(['1:open', '2:close']);
    expect(second).toEqual(['1:open', '2:close']);
  });

  it('a listener unsubscribed during a delivery is not called again', () => {
    const m = createMachine(door);
    const late: number[] = [];
    let unsubscribeLate = (): void => {};
    m.subscribe(() => unsubscribeLate());
    unsubscribeLate = m.subscribe((t) => late.push(t.seq));
    m.send('open');
    m.send('close');
    expect(late).toEqual([]);
  });
});

describe('history', () => {
  it('is bounded, persistent and holds frozen transitions', () => {
    const m = createMachine(door, { historyLimit: 3 });
    m.send('open');
    const before = m.history;
    for (let i = 0; i < 10; i++) m.send(m.state === 'opened' ? 'close' : 'open');
    expect(before.toArray()).toEqual([{ seq: 1, from: 'closed', event: 'open', to: 'opened' }]);
    const recent: DoorTransition[] = m.history.toArray();
    expect(recent.map((t) => t.seq)).toEqual([9, 10, 11]);
    expect(Object.isFrozen(recent[0])).toBe(true);
  });
});
