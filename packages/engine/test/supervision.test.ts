/**
 * Supervision wired into the engine: restart in place with a backoff in ticks, containment
 * (actors that never failed end exactly as in a fault-free run), escalation to the engine,
 * rewinding through restarts, and a worker killed mid-tick whose jobs are redone from the
 * tick's pre-job copies so the tick's result equals the fault-free one.
 */
import { describe, expect, it } from 'vitest';

import { createEngine, type ActorRef, type Engine, type HandlerErrorReport, type SupervisionOptions } from '../src/index.js';
import { Doomed, Drifter, Flaky } from './fixtures/drift.js';

const DRIFT = new URL('./fixtures/drift.ts', import.meta.url).href;
const policy = (over: Partial<SupervisionOptions['policy']> = {}): SupervisionOptions['policy'] => ({
  restart: 'permanent',
  backoff: { kind: 'exponential', min: 2, max: 8, jitter: 0, resetAfter: 100 },
  maxRestarts: 5,
  within: 50,
  ...over,
});

function drifters(engine: Engine, n: number): Engine {
  return engine.spawn(Drifter, n, (d, i) => {
    d.position.set(i, 0, -i);
    d.velocity.set((i % 5) - 2, 1, (i % 3) - 1);
  });
}

describe('supervised actors', () => {
  for (const threads of [1, 2]) {
    it(`restarts a failed actor in place, keeps it out for the backoff, and leaves the others alone (${threads} thread(s))`, async () => {
      const engine = createEngine({ threads, seed: 3, actorModules: [DRIFT], supervision: { policy: policy() } });
      engine.spawn(Flaky, 100, (f, i) => (f.failAt = i === 42 ? 0b100 : 0)); // actor 42 throws at tick 2
      const errors: HandlerErrorReport[] = [];
      engine.onHandlerError((r) => errors.push(r));
      try {
        const refs = engine.refs(Flaky);
        await engine.step(3); // ticks 0, 1, 2: the failure at 2 restarts it, suspended for 2 ticks (min backoff)
        expect(errors.map((e) => [e.tick, e.actor])).toEqual([[2, refs[42]]]);
        expect(engine.view(Flaky, refs[41]!).ticks).toBe(3);
        expect(engine.refs(Flaky)).not.toContain(refs[42]); // suspended: out of the ticks
        await engine.step(2); // ticks 3 and 4: still out (back at tick 2 + 2 = 4)
        expect(engine.refs(Flaky)).toContain(refs[42]);
        const restarted = engine.view(Flaky, refs[42]!);
        expect(restarted.ticks).toBe(1); // fresh from the initializer at the restart, then ran tick 4
        expect(restarted.energy).toBe(6);
        expect(engine.view(Flaky, refs[41]!).ticks).toBe(5);
        expect(engine.stats().supervision).toMatchObject({ restarts: 1, suspended: 1, escalations: 0 });
      } finally {
        await engine.close();
      }
    }, 30_000);
  }

  it('contains drilled faults: every never-faulted actor ends exactly as in a fault-free run, for 1 and 2 threads', async () => {
    const run = async (threads: number, rate: number) => {
      const engine = drifters(createEngine({ threads, seed: 9, actorModules: [DRIFT], supervision: { policy: policy({ maxRestarts: 100 }) } }), 3000);
      const faulted = new Set<number>();
      let failures = 0;
      engine.onHandlerError((r) => (faulted.add(r.actor as number), failures++));
      try {
        engine.drill({ handlerThrowRate: rate });
        await engine.step(25);
        const state = new Map(engine.refs(Drifter).map((ref) => [ref as number, JSON.stringify(engine.view(Drifter, ref).position.toJSON()) + engine.view(Drifter, ref).ticks]));
        return { state, faulted, failures, hash: engine.stateHash(), stats: engine.stats().supervision! };
      } finally {
        await engine.close();
      }
    };
    const clean = await run(1, 0);
    const one = await run(1, 0.002);
    const two = await run(2, 0.002);
    expect(one.faulted.size).toBeGreaterThan(50);
    expect(two.hash).toBe(one.hash); // the drill picks the same actors whatever the thread count
    expect(one.stats.restarts).toBe(one.failures); // one restart per failure (isolation = actor)
    let compared = 0;
    for (const [ref, state] of clean.state) {
      if (one.faulted.has(ref)) continue;
      expect(one.state.get(ref)).toBe(state);
      compared++;
    }
    expect(compared).toBeGreaterThan(2500);
  }, 60_000);

  it('stateHash({ exclude }) tells a drilled run from a clean one only by the faulted actors', async () => {
    const run = async (rate: number, exclude?: Set<number>) => {
      const engine = drifters(createEngine({ threads: 2, seed: 21, actorModules: [DRIFT], supervision: { policy: policy({ maxRestarts: 100 }) } }), 2000);
      const faulted = new Set<number>();
      engine.onHandlerError((r) => faulted.add(r.actor as number));
      try {
        engine.drill({ handlerThrowRate: rate });
        await engine.step(12);
        return { faulted, full: engine.stateHash(), outside: engine.stateHash({ exclude: (exclude ?? faulted) as Set<ActorRef> }) };
      } finally {
        await engine.close();
      }
    };
    const drilled = await run(0.003);
    const clean = await run(0, drilled.faulted);
    expect(drilled.faulted.size).toBeGreaterThan(20);
    expect(drilled.full).not.toBe(clean.full);
    expect(drilled.outside).toBe(clean.outside);
  }, 60_000);

  it('escalates an actor that fails past its intensity to a group restart, and a group past it to a failed engine', async () => {
    const engine = createEngine({ threads: 1, seed: 3, actorModules: [DRIFT], supervision: { policy: policy({ backoff: { kind: 'none' }, maxRestarts: 2, within: 100 }) } });
    engine.spawn(Doomed, 4);
    engine.spawn(Drifter, 10);
    try {
      await engine.step(3); // ticks 0 and 1: restarts; tick 2: the third failure escalates → the group restarts
      expect(engine.stats().supervision).toMatchObject({ groupRestarts: 1 });
      expect(engine.view(Doomed, engine.refs(Doomed)[0]!).ticks).toBe(0); // the whole group started over
      expect(engine.view(Drifter, engine.refs(Drifter)[0]!).ticks).toBe(3); // another kind: untouched
      const failed = await engine.step(10).catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: 'ENGINE_SUPERVISION_ESCALATED', message: expect.stringMatching(/Doomed group was restarted 3 times within 100 ticks/) });
      expect(engine.state()).toBe('failed');
      await expect(engine.step()).rejects.toMatchObject({ code: 'ENGINE_STATE' });
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('a new actor in a reused slot starts without the restart history of the one before', async () => {
    const engine = createEngine({ threads: 1, seed: 3, actorModules: [DRIFT], supervision: { policy: policy({ backoff: { kind: 'none' }, maxRestarts: 5, within: 100 }) } });
    engine.spawn(Doomed, 1); // fails every tick
    try {
      await engine.step(5); // 5 failures: at the limit
      expect(engine.stats().supervision).toMatchObject({ restarts: 5, groupRestarts: 0 });
      const old = engine.refs(Doomed)[0]!;
      engine.despawn(old);
      engine.spawn(Doomed, 1); // takes slot 0 again
      expect(engine.refs(Doomed)[0]).not.toBe(old);
      await engine.step(1); // its first failure: a restart, not the old actor's 6th (an escalation)
      expect(engine.stats().supervision).toMatchObject({ restarts: 6, groupRestarts: 0, escalations: 0 });
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('rewinds through restarts and backoffs and replays the same decisions', async () => {
    const engine = createEngine({ threads: 2, seed: 3, actorModules: [DRIFT], retention: { recent: 20 }, supervision: { policy: policy() } });
    engine.spawn(Flaky, 300, (f, i) => (f.failAt = (i * 2654435761) % 7 === 0 ? 0b1001001010 : 0));
    try {
      const recorded = [engine.stateHash()];
      for (let t = 1; t <= 14; t++) {
        await engine.step();
        recorded.push(engine.stateHash());
      }
      const restarts = engine.stats().supervision!.restarts;
      expect(restarts).toBeGreaterThan(0);
      await engine.rewind(2);
      for (let t = 3; t <= 14; t++) {
        await engine.step();
        expect(engine.stateHash()).toBe(recorded[t]);
      }
      expect(engine.stats().supervision!.restarts).toBe(restarts);
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('refuses a bad policy when the engine is built', () => {
    expect(() => createEngine({ supervision: { policy: policy({ maxRestarts: -1 }) } })).toThrowError(expect.objectContaining({ code: 'SUPERVISOR_INVALID_POLICY' }));
    expect(() => createEngine({ supervision: { policy: policy(), restartFrom: 'last-sealed' } })).toThrowError(expect.objectContaining({ code: 'ENGINE_INVALID_ARGUMENT' }));
  });
});

describe('a worker that dies mid-tick', () => {
  it('is replaced and its jobs are redone from the pre-job copies: the state hash equals the fault-free run', async () => {
    const run = async (drill: boolean) => {
      const engine = drifters(createEngine({ threads: 2, seed: 4, actorModules: [DRIFT], retention: { recent: 2 }, supervision: { policy: policy() } }), 4000);
      try {
        await engine.step(3);
        if (drill) engine.drill({ workerExitRate: 0.08 });
        await engine.step(4);
        engine.drill({ workerExitRate: 0 });
        await engine.step(2);
        return { hash: engine.stateHash(), stats: engine.stats() };
      } finally {
        await engine.close();
      }
    };
    const clean = await run(false);
    const faulted = await run(true);
    expect(faulted.stats.scheduler.workerExits).toBeGreaterThan(0);
    expect(faulted.stats.supervision!.jobsRedone).toBeGreaterThan(0);
    expect(faulted.hash).toBe(clean.hash);
    expect(faulted.stats.state).toBe('paused');
  }, 60_000);

  it('fails the engine when there are no pre-job copies to redo from', async () => {
    const engine = drifters(createEngine({ threads: 2, seed: 4, actorModules: [DRIFT] }), 4000);
    try {
      await engine.step(1);
      engine.drill({ workerExitRate: 1 });
      await expect(engine.step()).rejects.toMatchObject({ code: 'ENGINE_WORKER_LOST' });
      expect(engine.state()).toBe('failed');
    } finally {
      await engine.close();
    }
  }, 30_000);
});


describe('supervision from the config file', () => {
  it('takes [supervision] (policy in ticks at the tick rate, isolation) and retain_ticks', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { supervisionFromConfig } = await import('../src/supervisionConfig.js');
    const { loadConfig } = await import('@concurrengine/config');
    const dir = mkdtempSync(join(tmpdir(), 'concurrengine-supervision-'));
    const file = join(dir, 'engine.toml');
    writeFileSync(file, '[engine]\ntick_rate = "60hz"\nretain_ticks = 2\n[supervision]\nrestart_policy = "exponential-backoff"\nmax_restarts = 16\nrestart_window = "10s"\nbackoff_min = "100ms"\nisolation = "partition"\n');
    const options = supervisionFromConfig(loadConfig({ file, env: {} }).config);
    expect(options.retention).toEqual({ recent: 2 });
    expect(options.supervision.isolation).toBe('partition');
    expect(options.supervision.policy).toMatchObject({ maxRestarts: 16, within: 600, backoff: { kind: 'exponential', min: 6 } });
  });
});
