/**
 * Rewind: record the state hash after every tick, rewind to random retained ticks, run forward
 * again and compare — with spawns, despawns, neighbour queries and messages in flight, for 1 and
 * 2 threads. Plus the window's edges, memory bounded by retention, and the lifecycle around it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createInlineScheduler, type Scheduler } from '@concurrengine/scheduler';

import { createEngine, EngineError, type EngineState, type RetentionPolicy, type SpatialOptions } from '../src/index.js';
import { Born, Ping, populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const TICKS = 30;

/** The octree strategy sorting the actors in space every 4 ticks: slots change under the seals. */
const SORTED: SpatialOptions = { strategy: 'adaptive-octree', splitAbove: 32, reorderEvery: 4 };

function simulation(threads: number, retention: RetentionPolicy = { recent: TICKS + 1 }, spatial: SpatialOptions = { cellSize: 4 }) {
  const engine = createEngine({ threads, seed: 11, actorModules: [SIM], spatial, retention });
  populate((n, init) => engine.spawn(Walker, n, init), 600, true);
  return engine;
}

describe('rewind', () => {
  for (const [threads, spatial, label] of [
    [1, undefined, ''],
    [2, undefined, ''],
    [2, SORTED, ', actors sorted in space every 4 ticks'],
  ] as const) {
    it(`rewinds to random retained ticks and re-runs to the recorded hashes (${threads} thread(s)${label})`, async () => {
      const engine = simulation(threads, undefined, spatial);
      let born = 0;
      engine.on(Born, (batch) => (born += batch.count));
      try {
        const recorded = [engine.stateHash()];
        const sentBefore: number[] = [0];
        for (let t = 1; t <= TICKS; t++) {
          await engine.step();
          recorded.push(engine.stateHash());
          sentBefore.push(engine.stats().messagesSent);
        }
        expect(new Set(recorded).size).toBe(TICKS + 1);
        expect(born).toBeGreaterThan(0); // actors were spawned and despawned inside the window
        expect(sentBefore[TICKS]).toBeGreaterThan(100); // and messages were in flight at the seals
        if (spatial) expect(engine.stats().spatial!.sorts).toBe(1 + Math.floor(TICKS / 4)); // tick 1, then every 4th

        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 0, max: TICKS }), fc.integer({ min: 0, max: 6 }), async (target, forward) => {
            await engine.rewind(target);
            expect(engine.state()).toBe('paused');
            expect(engine.stats().tick).toBe(target);
            expect(engine.stateHash()).toBe(recorded[target]);
            const until = Math.min(TICKS, target + forward);
            for (let t = target + 1; t <= until; t++) {
              await engine.step();
              expect(engine.stateHash()).toBe(recorded[t]);
            }
            // Back to the end, so every tick is retained again for the next case.
            await engine.step(TICKS - until);
            expect(engine.stateHash()).toBe(recorded[TICKS]);
          }),
          { numRuns: 12, seed: 20261124 + threads },
        );
      } finally {
        await engine.close();
      }
    }, 60_000);
  }

  it('refuses a tick outside the window with a typed error naming the oldest tick retained', async () => {
    const engine = simulation(1, { recent: 5 });
    try {
      await engine.step(20);
      const refused = await engine.rewind(3).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(EngineError);
      expect(refused).toMatchObject({ code: 'ENGINE_TICK_NOT_RETAINED' });
      expect((refused as Error).message).toMatch(/oldest.*\b16\b/);
      expect(engine.retention()?.ticks).toEqual([16, 17, 18, 19, 20]);
      expect(engine.state()).toBe('paused'); // nothing changed
      expect(engine.stats().tick).toBe(20);
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('with keyframes only, seals just the keyframes and rewinds to them', async () => {
    const engine = simulation(2, { recent: 0, every: 5, keepEvery: 3 });
    try {
      const recorded = [engine.stateHash()];
      for (let t = 1; t <= 20; t++) {
        await engine.step();
        recorded.push(engine.stateHash());
      }
      expect(engine.retention()?.ticks).toEqual([10, 15, 20]);
      await engine.rewind(10);
      expect(engine.stateHash()).toBe(recorded[10]);
      await engine.step(7);
      expect(engine.stateHash()).toBe(recorded[17]);
    } finally {
      await engine.close();
    }
  }, 30_000);

  // Issue 15, item 4: a tick between keyframes is the nearest keyframe before it plus re-execution.
  it('rewinds to any tick between keyframes: the keyframe before it, then the recorded inputs re-executed', async () => {
    const engine = simulation(2, { recent: 0, every: 5, keepEvery: 4 });
    try {
      const recorded = [engine.stateHash()];
      const someone = engine.refs(Walker)[3]!;
      for (let t = 1; t <= 20; t++) {
        // Outside input between keyframes, which re-execution must take from the journal.
        if (t % 5 === 3) engine.send(someone, Ping, { amount: t });
        await engine.step();
        recorded.push(engine.stateHash());
      }
      expect(engine.retention()?.ticks).toEqual([5, 10, 15, 20]);
      await engine.rewind(17);
      expect(engine.state()).toBe('paused');
      expect(engine.stats().tick).toBe(17);
      expect(engine.stateHash()).toBe(recorded[17]);
      await engine.rewind(6); // from 17 back past two keyframes, to one tick after a keyframe
      expect(engine.stateHash()).toBe(recorded[6]);
      await engine.step(3);
      expect(engine.stateHash()).toBe(recorded[9]);
      await engine.rewind(8); // keyframe 5 again, and ticks 5–8 from the journal
      expect(engine.stateHash()).toBe(recorded[8]);
      await engine.step(12);
      expect(engine.stateHash()).toBe(recorded[20]);
      expect(engine.retention()?.ticks).toEqual([5, 10, 15, 20]);
      await expect(engine.rewind(4)).rejects.toMatchObject({ code: 'ENGINE_TICK_NOT_RETAINED', message: expect.stringMatching(/oldest.*\b5\b/) });
      await expect(engine.rewind(21)).rejects.toMatchObject({ code: 'ENGINE_TICK_NOT_RETAINED' });
      expect(engine.stats().tick).toBe(20);
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('keeps memory bounded by the retention settings over a long run', async () => {
    const engine = simulation(2, { recent: 8, every: 25, keepEvery: 2 });
    try {
      await engine.step(100);
      const at100 = engine.retention()!;
      await engine.step(150);
      const at250 = engine.retention()!;
      // The last 8 ticks, and the keyframes (every 25th) — two of them, one inside the 8.
      expect(at250.ticks).toEqual([225, 243, 244, 245, 246, 247, 248, 249, 250]);
      // Frames are reused once retention lets go of them: no growth in steady state.
      expect(at250.frameBytes).toBe(at100.frameBytes);
      const pageBytes = Walker.layout.pageBytes;
      const pages = Math.ceil(engine.stats().actors / Walker.layout.pageSize) + 1;
      expect(at250.retainedBytes).toBeLessThanOrEqual(10 * pages * pageBytes);
      await engine.rewind(at250.ticks[0]!);
      expect(engine.stats().tick).toBe(at250.ticks[0]);
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('rewinding during run() ends the run paused at the rewound tick', async () => {
    const engine = simulation(1);
    try {
      const hashes: string[] = [engine.stateHash()];
      let rewound: Promise<void> | undefined;
      const summary = await engine.run({
        ticks: 1000,
        onTick: (tick, e) => {
          hashes.push(e.stateHash());
          if (tick === 9) rewound = e.rewind(4);
        },
      });
      await rewound;
      expect(summary.ticks).toBe(10);
      expect(engine.state()).toBe('paused');
      expect(engine.stateHash()).toBe(hashes[4]);
    } finally {
      await engine.close();
    }
  }, 30_000);
});

describe('the engine lifecycle', () => {
  it('goes created → paused → stepping → paused → running → paused → stopped, and refuses what a state does not allow', async () => {
    const engine = simulation(1);
    const seen: EngineState[] = [];
    engine.onStateChange((state) => seen.push(state));
    try {
      expect(engine.state()).toBe('created');
      await expect(engine.rewind(0)).rejects.toMatchObject({ code: 'ENGINE_STATE', message: expect.stringMatching(/rewind\(0\) is not allowed while the engine is created/) });
      await engine.step(2);
      await engine.run({ ticks: 2 });
      expect(engine.state()).toBe('paused');
      await engine.rewind(1);
    } finally {
      await engine.close();
    }
    expect(engine.state()).toBe('stopped');
    expect(seen).toEqual(['starting', 'paused', 'stepping', 'paused', 'running', 'paused', 'rewinding', 'paused', 'stopping', 'stopped']);
    await expect(engine.step()).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  }, 30_000);

  it('refuses rewind without retention', async () => {
    const engine = createEngine({ threads: 1, actorModules: [SIM] });
    populate((n, init) => engine.spawn(Walker, n, init), 10);
    try {
      await engine.step();
      await expect(engine.rewind(0)).rejects.toMatchObject({ code: 'ENGINE_NO_RETENTION' });
    } finally {
      await engine.close();
    }
  });

  it('fails when a tick throws, refuses to step while failed, and recover() puts the last sealed tick back', async () => {
    const inline = createInlineScheduler({ jobModules: [] });
    let breakNext = false;
    // A scheduler that fails one batch: the tick throws between its jobs and its boundary.
    const flaky: Scheduler = {
      ...inline,
      run: (batch) => (breakNext ? ((breakNext = false), Promise.reject(new Error('the scheduler lost the batch'))) : inline.run(batch)),
      loadJobModule: (ref) => inline.loadJobModule(ref),
      stats: () => inline.stats(),
      resize: (n) => inline.resize(n),
      close: () => inline.close(),
    };
    const engine = createEngine({ threads: 1, seed: 11, actorModules: [SIM], scheduler: flaky, retention: { recent: 4 } });
    populate((n, init) => engine.spawn(Walker, n, init), 100);
    try {
      await engine.step(3);
      const atThree = engine.stateHash();
      breakNext = true;
      await expect(engine.step()).rejects.toThrow(/lost the batch/);
      expect(engine.state()).toBe('failed');
      await expect(engine.step()).rejects.toMatchObject({ code: 'ENGINE_STATE', message: expect.stringMatching(/step\(\) is not allowed while the engine is failed .*recover/) });
      await engine.recover();
      expect(engine.state()).toBe('paused');
      expect(engine.stats().tick).toBe(3);
      expect(engine.stateHash()).toBe(atThree);
      await engine.step();
      expect(engine.stats().tick).toBe(4);
    } finally {
      await engine.close();
    }
  });
});

describe('reading actors while a tick runs', () => {
  it('refuses view() while the workers own the pages, and allows it between ticks', async () => {
    const { Drifter } = await import('./fixtures/drift.js');
    const engine = createEngine({ threads: 2, seed: 11, actorModules: [new URL('./fixtures/drift.ts', import.meta.url).href], retention: { recent: 2 } });
    engine.spawn(Drifter, 200_000, (d, i) => d.velocity.set(i % 3, 1, 0));
    try {
      await engine.step(2);
      const ref = engine.refs(Drifter)[0]!;
      let refused: unknown;
      const stepping = engine.step(5);
      // Poll from the event loop while the ticks run: some call lands inside a batch of jobs.
      for (let i = 0; i < 2000 && !refused; i++) {
        try {
          engine.view(Drifter, ref);
        } catch (error) {
          refused = error;
        }
        await new Promise((r) => setImmediate(r));
      }
      await stepping;
      expect(refused).toMatchObject({ code: 'ENGINE_BUSY' });
      expect(engine.view(Drifter, ref).ticks).toBe(7);
    } finally {
      await engine.close();
    }
  }, 30_000);
});
