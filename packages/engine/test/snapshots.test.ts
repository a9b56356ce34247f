/**
 * The engine on a real snapshot store: every K-th tick goes to disk off the loop; rewinding past
 * the window in memory falls back to the store and the input journal; a new engine replays a
 * directory to any tick with the same state hash, for another thread count; a failing or slow
 * store costs counted writes, never the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createMemorySnapshotStore, openFileSnapshotStore, SnapshotError, type SnapshotStore } from '@concurrengine/snapshot';
import { afterAll, describe, expect, it } from 'vitest';

import { createEngine, type Engine } from '../src/index.js';
import { Ping, populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'concurrengine-snapshots-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Steps `ticks` ticks with outside input: a message every tick and a spawn and a despawn between ticks. */
async function drive(engine: Engine, ticks: number, recorded: string[]): Promise<void> {
  for (let t = 0; t < ticks; t++) {
    const refs = engine.refs(Walker);
    engine.send(refs[t % refs.length]!, Ping, { amount: t }, { priority: t % 3 === 0 ? 'critical' : 'normal' });
    if (t % 7 === 3) engine.spawn(Walker, 2, (w, i) => w.position.set(t, i, 0));
    if (t % 9 === 5) engine.despawn(refs[(t * 13) % refs.length]!);
    await engine.step();
    recorded.push(engine.stateHash());
  }
}

function simulation(threads: number, options: Parameters<typeof createEngine>[0] = {}) {
  const engine = createEngine({ threads, seed: 5, actorModules: [SIM], spatial: { cellSize: 4 }, ...options });
  populate((n, init) => engine.spawn(Walker, n, init), 400, true);
  return engine;
}

describe('snapshots on disk', () => {
  for (const [spatial, label] of [
    [{ cellSize: 4 }, ''],
    [{ strategy: 'adaptive-octree', splitAbove: 32, reorderEvery: 3 }, ', with actors sorted in space every 3 ticks'],
  ] as const) {
    it(`rewinds past the window in memory through the store and the journal, and replays a directory in a new engine${label}`, async () => {
      const dir = tempDir();
      const engine = simulation(2, { spatial, retention: { recent: 3 }, snapshots: { dir, every: 5, keep: 100, maxQueued: 16 } });
      const recorded = [engine.stateHash()];
      try {
        await drive(engine, 30, recorded);
        expect(new Set(recorded).size).toBe(31);

        // Tick 7 is long out of memory (3 kept): stored tick 5 plus the inputs of ticks 5 and 6.
        await engine.rewind(7);
        expect(engine.state()).toBe('paused');
        expect(engine.stats().tick).toBe(7);
        expect(engine.stateHash()).toBe(recorded[7]);
        // Running forward takes the recorded inputs again, outside messages and edits included.
        for (let t = 8; t <= 30; t++) {
          await engine.step();
          expect(engine.stateHash()).toBe(recorded[t]);
        }
        expect(engine.stats().snapshots).toMatchObject({ failed: 0, skipped: 0 });
        expect(engine.stats().snapshots!.written).toBeGreaterThanOrEqual(7);
      } finally {
        await engine.close(); // stores tick 30 as well
      }

      const store = await openFileSnapshotStore(dir);
      expect(await store.listTicks()).toEqual([0, 5, 10, 15, 20, 25, 30]);
      expect((await store.verify()).ok).toBe(true);
      await store.close();

      for (const [threads, tick] of [
        [1, 23],
        [2, 30],
        [1, 0],
      ] as const) {
        const replay = simulation(threads, { spatial, restore: { dir, tick } });
        try {
          await replay.step(0);
          expect(replay.stats().tick).toBe(tick);
          expect(replay.stateHash()).toBe(recorded[tick]);
          if (tick < 30) {
            await replay.step(30 - tick);
            expect(replay.stateHash()).toBe(recorded[30]);
          }
        } finally {
          await replay.close();
        }
      }
    }, 90_000);
  }

  it('without retention, stores each tick as it was while the next ticks run, and close() stores the last tick even with writes queued', async () => {
    const dir = tempDir();
    // maxQueued 1: the unpaced steps outrun the disk, so close() meets a write in flight.
    const engine = simulation(1, { snapshots: { dir, every: 5, keep: 100, maxQueued: 1 } });
    const recorded = [engine.stateHash()];
    try {
      await drive(engine, 23, recorded);
    } finally {
      await engine.close();
    }
    const store = await openFileSnapshotStore(dir);
    const ticks = await store.listTicks();
    expect(ticks.at(-1)).toBe(23);
    expect((await store.verify()).ok).toBe(true);
    await store.close();
    for (const tick of ticks) {
      const replay = simulation(2, { restore: { dir, tick } });
      try {
        await replay.step(0);
        expect(replay.stateHash()).toBe(recorded[tick]);
      } finally {
        await replay.close();
      }
    }
  }, 60_000);

  it('refuses a tick before the oldest stored one with a typed error naming it', async () => {
    const store = createMemorySnapshotStore();
    const engine = simulation(1, { snapshots: { store, every: 4, keep: 2 } });
    try {
      await engine.step(20);
      await engine.stop();
      const ticks = await (async () => {
        await new Promise((r) => setTimeout(r, 50));
        return store.listTicks();
      })();
      expect(ticks.length).toBeLessThanOrEqual(3);
      await expect(engine.rewind(1)).rejects.toMatchObject({ code: 'ENGINE_TICK_NOT_RETAINED', message: expect.stringMatching(new RegExp(`oldest stored tick is ${ticks[0]}`)) });
      expect(engine.state()).toBe('paused');
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('counts a failed write (a full disk), runs on, keeps the stored ticks, and writes again after its supervisor\'s backoff', async () => {
    const inner = createMemorySnapshotStore();
    let full = false;
    const store: SnapshotStore = {
      ...inner,
      writeTick: (input) => (full ? Promise.reject(new SnapshotError('SNAPSHOT_IO', 'write: ENOSPC: no space left on device', { errno: 'ENOSPC', path: '/full', operation: 'write' } as never)) : inner.writeTick(input)),
      close: () => inner.close(),
    };
    const restarts: number[] = [];
    const engine = simulation(1, {
      snapshots: { store, every: 2, keep: 100 },
      infrastructure: { backoff: { kind: 'fixed', delay: 150 }, intensity: { maxRestarts: 10, withinMs: 60_000 }, onEvent: (e) => e.type === 'restart' && restarts.push(e.delay) },
    });
    try {
      await engine.step(6);
      full = true;
      await engine.step(6);
      await new Promise((r) => setTimeout(r, 20));
      const counters = engine.stats().snapshots!;
      expect(counters.failed).toBe(1); // the first failure takes the writer down: no hammering a full disk
      expect(counters.skipped).toBe(2);
      expect(counters.lastError).toMatchObject({ code: 'SNAPSHOT_IO' });
      expect(engine.stats().tick).toBe(12);
      expect(await inner.listTicks()).toEqual([0, 2, 4, 6]);
      await inner.readTick(6);
      full = false;
      await new Promise((r) => setTimeout(r, 300)); // the backoff passes: the supervisor restarts the writer
      expect(restarts).toEqual([150]);
      await engine.step(2);
      await new Promise((r) => setTimeout(r, 20));
      expect(await inner.listTicks()).toEqual([0, 2, 4, 6, 14]);
    } finally {
      full = false;
      await engine.close();
    }
  }, 30_000);

  it('skips due ticks while the disk is behind, holding at most maxQueued sealed worlds', async () => {
    const inner = createMemorySnapshotStore();
    const gates: (() => void)[] = [];
    const store: SnapshotStore = {
      ...inner,
      writeTick: (input) => new Promise<void>((resolve) => gates.push(resolve)).then(() => inner.writeTick(input)),
      close: () => inner.close(),
    };
    const engine = simulation(1, { retention: { recent: 1 }, snapshots: { store, every: 1, maxQueued: 2 } });
    try {
      await engine.step(10);
      const counters = engine.stats().snapshots!;
      expect(counters.skipped).toBe(11 - 2); // ticks 0 and 1 queued; 2 … 10 skipped
      const frames = engine.retention()!.frameBytes;
      await engine.step(10);
      expect(engine.retention()!.frameBytes).toBe(frames); // no growth while writes wait
      gates.forEach((open) => open());
    } finally {
      const closing = engine.close();
      await new Promise((r) => setTimeout(r, 10));
      gates.forEach((open) => open());
      await closing;
    }
  }, 30_000);

  it('refuses a snapshot policy whose counts are not integers ≥ 1 (keep: ≥ 0), naming the field', async () => {
    for (const [policy, field, least] of [[{ every: 0 }, 'every', 1], [{ every: 1, maxQueued: 0 }, 'maxQueued', 1], [{ every: 1, keep: 1.5 }, 'keep', 0], [{ every: 1, keep: -1 }, 'keep', 0]] as const) {
      const engine = simulation(1, { snapshots: { store: createMemorySnapshotStore(), ...policy } });
      await expect(engine.step(1)).rejects.toMatchObject({ code: 'ENGINE_INVALID_ARGUMENT', message: expect.stringContaining(`snapshots.${field} must be an integer ≥ ${least}`) });
      await engine.close().catch(() => undefined);
    }
  });
});

describe('snapshots with supervision and fault drills', () => {
  it('replays restarts, backoffs and drill changes exactly: from memory and from a directory', async () => {
    const { Drifter } = await import('./fixtures/drift.js');
    const DRIFT = new URL('./fixtures/drift.ts', import.meta.url).href;
    const supervision = { policy: { restart: 'permanent', backoff: { kind: 'exponential', min: 1, max: 8, jitter: 0.3, resetAfter: 100 }, maxRestarts: 6, within: 20 } } as const;
    const make = (options: Parameters<typeof createEngine>[0]) => {
      const engine = createEngine({ threads: 2, seed: 17, actorModules: [DRIFT], supervision, ...options });
      engine.spawn(Drifter, 1500, (d, i) => d.velocity.set((i % 5) - 2, 1, (i % 3) - 1));
      return engine;
    };
    const dir = tempDir();
    const engine = make({ retention: { recent: 40 }, snapshots: { dir, every: 5, keep: 100, maxQueued: 16 } });
    engine.drill({ handlerThrowRate: 0.004 });
    const recorded = [engine.stateHash()];
    try {
      for (let t = 1; t <= 30; t++) {
        if (t === 12) engine.drill({ handlerThrowRate: 0.02 });
        if (t === 20) engine.drill({ handlerThrowRate: 0 });
        await engine.step();
        recorded.push(engine.stateHash());
      }
      expect(engine.stats().supervision!.restarts).toBeGreaterThan(100);
      expect(engine.stats().supervision!.suspended).toBeGreaterThan(0);
      await engine.rewind(8);
      for (let t = 9; t <= 30; t++) {
        await engine.step();
        expect(engine.stateHash()).toBe(recorded[t]);
      }
    } finally {
      await engine.close();
    }
    for (const tick of [7, 23]) {
      const replay = make({ restore: { dir, tick } });
      try {
        await replay.step(0);
        expect(replay.stateHash()).toBe(recorded[tick]);
        await replay.step(30 - tick);
        expect(replay.stateHash()).toBe(recorded[30]);
      } finally {
        await replay.close();
      }
    }
  }, 90_000);
});
