/** Supervision trees: nesting and escalation, shutdown order, start failures, shutdown timeouts, events. */
import { describe, expect, it } from 'vitest';

import { createSupervisor, isSupervisorError, supervisorSpec, type SupervisorEvent } from '../src/index.js';
import { createManualClock } from '../src/testing.js';
import { createHarness, exitOf, settle } from './helpers.js';

describe('nested trees', () => {
  it('escalates up the tree: a child supervisor that gives up is restarted by its parent, and the parent gives up in turn', async () => {
    const h = createHarness();
    const clock = createManualClock();
    const events: SupervisorEvent[] = [];
    const onEvent = (e: SupervisorEvent) => events.push(e);
    const sub = supervisorSpec('sub', {
      strategy: 'one_for_all',
      children: [h.spec('a'), h.spec('b')],
      intensity: { maxRestarts: 0, withinMs: 1000 },
      clock,
      onEvent,
    });
    const root = createSupervisor({ name: 'root', strategy: 'one_for_one', children: [h.spec('x'), sub, h.spec('y')], intensity: { maxRestarts: 1, withinMs: 1000 }, clock, onEvent });
    const exit = exitOf(root);
    await root.start();
    expect(h.log).toEqual(['start:x', 'start:a', 'start:b', 'start:y']);

    h.log.length = 0;
    h.children.get('a')!.crash();
    await settle();
    // sub gives up at once (maxRestarts 0): stops b; root restarts sub, which starts a and b again.
    expect(h.log).toEqual(['stop:b', 'start:a', 'start:b']);
    expect(events.filter((e) => e.type === 'escalate').map((e) => e.supervisor)).toEqual(['sub']);
    expect(events.filter((e) => e.type === 'restart').map((e) => `${e.supervisor}:${e.id}`)).toEqual(['root:sub']);
    expect(root.state).toBe('running');

    h.log.length = 0;
    clock.advance(10);
    h.children.get('b')!.crash();
    await settle();
    // sub gives up again; root's second restart within 1 s exceeds its maxRestarts 1: root stops y, x.
    expect(h.log).toEqual(['stop:a', 'stop:y', 'stop:x']);
    expect(events.filter((e) => e.type === 'escalate').map((e) => e.supervisor)).toEqual(['sub', 'sub', 'root']);
    expect(root.state).toBe('stopped');
    expect(isSupervisorError(exit.reason, 'SUPERVISOR_INTENSITY')).toBe(true);
    expect(isSupervisorError((exit.reason as Error).cause, 'SUPERVISOR_INTENSITY')).toBe(true); // the cause: sub's escalation
  });

  it('shuts down in reverse start order, depth first', async () => {
    const h = createHarness();
    const inner = supervisorSpec('inner', { strategy: 'rest_for_one', children: [h.spec('i1'), h.spec('i2'), h.spec('i3')] });
    const root = createSupervisor({ strategy: 'one_for_all', children: [h.spec('a'), inner, h.spec('z')] });
    const exit = exitOf(root);
    await root.start();
    expect(h.log).toEqual(['start:a', 'start:i1', 'start:i2', 'start:i3', 'start:z']);
    h.log.length = 0;
    await root.stop();
    expect(h.log).toEqual(['stop:z', 'stop:i3', 'stop:i2', 'stop:i1', 'stop:a']);
    expect(exit.reason).toBe('shutdown');
    expect(root.whichChildren().every((c) => c.status === 'stopped')).toBe(true);
    await root.stop(); // idempotent
  });
});

describe('start and stop', () => {
  it('a failed start stops the children already started, in reverse, and rejects with the cause', async () => {
    const h = createHarness();
    const sup = createSupervisor({ strategy: 'one_for_one', children: [h.spec('a'), h.spec('b'), h.spec('c', 'permanent', { failStart: () => true }), h.spec('d')] });
    const err = await sup.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSupervisorError(err, 'SUPERVISOR_START_FAILED')).toBe(true);
    expect(((err as Error).cause as Error).message).toBe('start of c failed');
    expect(h.log).toEqual(['start:a', 'start:b', 'fail:c', 'stop:b', 'stop:a']);
    expect(sup.state).toBe('stopped');
  });

  it('a failed restart counts as another restart, until the intensity gives up', async () => {
    const h = createHarness();
    let failing = false;
    const sup = createSupervisor({ strategy: 'one_for_one', children: [h.spec('a', 'permanent', { failStart: () => failing }), h.spec('b')], intensity: { maxRestarts: 3, withinMs: 100 }, clock: createManualClock() });
    const exit = exitOf(sup);
    await sup.start();
    h.log.length = 0;
    failing = true;
    h.children.get('a')!.crash();
    await settle();
    expect(h.log).toEqual(['fail:a', 'fail:a', 'fail:a', 'stop:b']);
    expect(isSupervisorError(exit.reason, 'SUPERVISOR_INTENSITY')).toBe(true);
  });

  it('stops waiting for a child after its shutdown time and reports it', async () => {
    const h = createHarness();
    const clock = createManualClock();
    const events: SupervisorEvent[] = [];
    const sup = createSupervisor({ strategy: 'one_for_one', children: [h.spec('a'), h.spec('hung', 'permanent', { shutdown: 50, hangStop: true })], clock, onEvent: (e) => events.push(e) });
    await sup.start();
    const stopped = sup.stop();
    await settle();
    expect(sup.state).toBe('stopping');
    clock.advance(50);
    await stopped;
    expect(h.log.slice(-2)).toEqual(['stop:hung', 'stop:a']);
    expect(events.find((e) => e.type === 'stopFailed')).toMatchObject({ id: 'hung', reason: 'timeout' });
  });

  it('emits started, exited, restart and giveUp events', async () => {
    const h = createHarness();
    const events: string[] = [];
    const sup = createSupervisor({
      name: 's',
      strategy: 'one_for_one',
      children: [h.spec('p'), h.spec('t', 'temporary'), h.spec('tr', 'transient')],
      clock: createManualClock(),
      intensity: { maxRestarts: 5, withinMs: 10 },
      onEvent: (e) => events.push(`${e.type}:${'id' in e ? e.id : ''}`),
    });
    await sup.start();
    h.children.get('p')!.crash();
    await settle();
    h.children.get('t')!.crash();
    await settle();
    h.children.get('tr')!.exit('normal');
    await settle();
    expect(events).toEqual(['started:p', 'started:t', 'started:tr', 'exited:p', 'restart:p', 'started:p', 'exited:t', 'giveUp:t', 'exited:tr', 'giveUp:tr']);
    expect(sup.whichChildren()).toEqual([
      { id: 'p', status: 'running', restart: 'permanent' },
      { id: 'tr', status: 'stopped', restart: 'transient' },
    ]);
  });

  it('ignores exits of children it stopped itself, and of replaced instances', async () => {
    const h = createHarness();
    const sup = createSupervisor({ strategy: 'one_for_all', children: [h.spec('a'), h.spec('b')], clock: createManualClock(), intensity: { maxRestarts: 10, withinMs: 10 } });
    await sup.start();
    const oldB = h.children.get('b')!;
    h.children.get('a')!.crash();
    await settle();
    oldB.crash(); // already stopped by the one_for_all restart: no effect
    await settle();
    expect(h.log).toEqual(['start:a', 'start:b', 'stop:b', 'start:a', 'start:b']);
  });
});
