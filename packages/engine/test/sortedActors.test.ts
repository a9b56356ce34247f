/**
 * Actors that the octree strategy moves to new slots (a spatial sort every few ticks) while
 * supervision, messages and worker deaths are going on: restarts find the failed actor's own
 * values, backoffs resume the right actor, isolation restarts the failed actor's page or job as
 * it stands at that boundary, refs and messages in flight follow their actor, a stale ref stays a
 * dead letter when its handle is reused, and a redone job ends as the fault-free tick.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { refHandle } from '@concurrengine/actors';

import { Actor, createEngine, field, NO_ACTOR, type ActorRef, type Engine, type EngineOptions, type SupervisionOptions } from '../src/index.js';
import { Drifter } from './fixtures/drift.js';
import { BOUNDS, Note, Roamer, roamers, Seeker } from './fixtures/sorted.js';

/** A kind without a position: the octree leaves it where it is. */
class Ghost extends Actor({ mass: field.f64() }, { pageSize: 16 }) {
  handle(): void {}
}

const SORTED_FIXTURE = new URL('./fixtures/sorted.ts', import.meta.url).href;
const DRIFT = new URL('./fixtures/drift.ts', import.meta.url).href;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const N = 160; // 10 pages of 16
/** Sorts at the boundaries into ticks 1, 3, 6, 9, … */
const spatial = (reorderEvery = 3): EngineOptions['spatial'] => ({ strategy: 'adaptive-octree', bounds: BOUNDS, splitAbove: 8, reorderEvery });
const policy = (over: Partial<SupervisionOptions['policy']> = {}): SupervisionOptions['policy'] => ({
  restart: 'permanent',
  backoff: { kind: 'none' },
  maxRestarts: 10,
  within: 50,
  ...over,
});

/** Roamer i sends a note every tick to roamer 7i + 3 (mod N): each roamer gets one note a tick. */
const targetOf = (i: number) => (i * 7 + 3) % N;

function world(options: EngineOptions, failAt: Record<number, number> = {}): Engine {
  const engine = createEngine({ seed: 5, actorModules: [SORTED_FIXTURE], spatial: spatial(), ...options });
  // A fresh engine's first kind is kind 0 and its i-th actor has handle i, generation 0: its ref is i.
  roamers((n, init) => engine.spawn(Roamer, n, init), N, (r, i) => {
    r.target = targetOf(i) as ActorRef;
    r.targetStamp = targetOf(i);
    r.failAt = failAt[i] ?? 0;
  });
  return engine;
}

const stateOf = (engine: Engine, ref: ActorRef) => {
  const r = engine.view(Roamer, ref);
  return { stamp: r.stamp, ticks: r.ticks, position: r.position.toJSON(), notes: r.notes, noteSum: r.noteSum, misdelivered: r.misdelivered };
};

/** Every live roamer by stamp: what it counted. */
const census = (engine: Engine) => new Map(engine.refs(Roamer).map((ref) => [engine.view(Roamer, ref).stamp, stateOf(engine, ref)] as const));

describe('supervision across spatial sorts', () => {
  for (const threads of [1, 2]) {
    it(`restarts a failed actor in place from its own last sealed values, after a sort and at a sort's boundary (${threads} thread(s))`, async () => {
      // 77 fails at tick 7 (sorted before it, at 6); 120 at tick 8, whose boundary sorts again (into tick 9).
      const engine = world({ threads, retention: { recent: 2 }, supervision: { policy: policy(), restartFrom: 'last-sealed' } }, { 77: 1 << 7, 120: 1 << 8 });
      const refs = engine.refs(Roamer);
      try {
        await engine.step(7);
        expect(engine.refs(Roamer).indexOf(refs[77]!)).not.toBe(77); // moved by the sorts
        const before77 = stateOf(engine, refs[77]!);
        expect(before77).toMatchObject({ stamp: 77, ticks: 7 });
        await engine.step(); // tick 7: 77 fails, restarted from the seal of tick 7
        expect(stateOf(engine, refs[77]!)).toEqual(before77);
        const before120 = stateOf(engine, refs[120]!);
        const order = engine.refs(Roamer);
        await engine.step(); // tick 8: 120 fails, restarted, then everyone is sorted again
        expect(engine.stats().spatial!.sorts).toBe(4); // into ticks 1, 3, 6 and 9
        expect(engine.refs(Roamer)).not.toEqual(order); // the sort moved actors after the restart
        expect(stateOf(engine, refs[120]!)).toEqual(before120);
        expect(stateOf(engine, refs[77]!)).toMatchObject({ stamp: 77, ticks: 8 });
        const all = census(engine);
        expect(all.size).toBe(N);
        for (const [stamp, s] of all) {
          expect(s.misdelivered).toBe(0);
          if (stamp !== 77 && stamp !== 120) expect(s.ticks).toBe(9);
        }
        expect(engine.stats().supervision).toMatchObject({ restarts: 2, suspended: 0, escalations: 0 });
      } finally {
        await engine.close();
      }
    }, 20_000);
  }

  it('keeps a backoff across two sorts: the suspended actor is moved, and it — no other — resumes at its due tick', async () => {
    // 50 fails at tick 2: restarted from the seal of tick 2 and out until tick 2 + 4 = 6. The
    // boundary of its failure sorts (into tick 3), and so does the one before it comes back (into 6).
    const engine = world(
      { threads: 1, retention: { recent: 2 }, supervision: { policy: policy({ backoff: { kind: 'exponential', min: 4, max: 8, jitter: 0, resetAfter: 100 } }), restartFrom: 'last-sealed' } },
      { 50: 1 << 2 },
    );
    const refs = engine.refs(Roamer);
    try {
      await engine.step(2);
      const sealed = stateOf(engine, refs[50]!); // its values at the seal of tick 2
      await engine.step(); // tick 2: fails
      for (let t = 3; t <= 6; t++) {
        expect(engine.refs(Roamer)).not.toContain(refs[50]);
        expect(engine.refs(Roamer)).toHaveLength(N - 1);
        expect(() => engine.view(Roamer, refs[50]!)).toThrowError(expect.objectContaining({ code: 'ACTOR_REF_STALE' }));
        await engine.step(); // ticks 3, 4, 5 out; back for tick 6
      }
      expect(engine.stats().spatial!.sorts).toBe(3); // into ticks 1, 3 and 6: moved twice while out
      const back = stateOf(engine, refs[50]!);
      expect(back.stamp).toBe(50);
      expect(back.ticks).toBe(sealed.ticks + 1); // the sealed values, then tick 6
      // Its sender's notes were dead letters while it was out (ticks 3 to 5) and count again now.
      expect(engine.stats().deadLetters).toBeGreaterThanOrEqual(3);
      const all = census(engine);
      expect(all.size).toBe(N);
      for (const [stamp, s] of all) {
        expect(s.misdelivered).toBe(0);
        if (stamp !== 50) expect(s.ticks).toBe(7);
      }
      expect(engine.stats().supervision).toMatchObject({ restarts: 1, suspended: 1 });
    } finally {
      await engine.close();
    }
  }, 20_000);

  it('rewinds into a backoff and through sorts, restarts and resumes, and replays to the recorded hashes (2 threads)', async () => {
    const failAt: Record<number, number> = {};
    for (let i = 0; i < N; i += 9) failAt[i] = (1 << (2 + (i % 5))) | (1 << (9 + (i % 3)));
    const engine = world(
      { threads: 2, retention: { recent: 20 }, supervision: { policy: policy({ backoff: { kind: 'exponential', min: 3, max: 8, jitter: 0, resetAfter: 100 } }), restartFrom: 'last-sealed' } },
      failAt,
    );
    try {
      const recorded = [engine.stateHash()];
      for (let t = 1; t <= 16; t++) {
        await engine.step();
        recorded.push(engine.stateHash());
      }
      const stats = engine.stats();
      expect(stats.supervision!.suspended).toBeGreaterThan(10);
      expect(stats.spatial!.sorts).toBe(6); // into ticks 1, 3, 6, 9, 12 and 15
      for (const target of [4, 0, 11]) {
        await engine.rewind(target);
        expect(engine.stateHash()).toBe(recorded[target]);
        for (let t = target + 1; t <= 16; t++) {
          await engine.step();
          expect(engine.stateHash(), `tick ${t} after a rewind to ${target}`).toBe(recorded[t]);
        }
        expect(engine.stats().supervision).toMatchObject({ restarts: stats.supervision!.restarts, suspended: stats.supervision!.suspended });
      }
      for (const [, s] of census(engine)) expect(s.misdelivered).toBe(0);
    } finally {
      await engine.close();
    }
  }, 20_000);

  for (const [isolation, pagesPerJob, threads] of [
    ['partition', 1, 1],
    ['worker', 2, 1], // 1 thread, 10 pages: jobs of ceil(10 / 8) = 2 pages
    // 2 threads cut jobs of 1 page; the restart still covers the one-thread job, so that the state
    // hash does not depend on the thread count.
    ['worker', 2, 2],
  ] as const) {
    it(`isolation "${isolation}" restarts the actors of the failed actor's ${isolation === 'partition' ? 'page' : 'one-thread job'} as the last sort laid them out (${threads} thread(s))`, async () => {
      // 2 fails at tick 5, whose boundary also sorts (into tick 6): the targets are its slots of tick 5
      // (sorted into tick 3, it is far from slot 2).
      const engine = world({ threads, supervision: { policy: policy(), isolation } }, { 2: 1 << 5 });
      const refs = engine.refs(Roamer);
      try {
        await engine.step(5);
        const bySlot = engine.refs(Roamer); // slot order of tick 5 (sorted into tick 3, no dead slots)
        expect(bySlot).toHaveLength(N);
        const span = 16 * pagesPerJob;
        const first = Math.floor(bySlot.indexOf(refs[2]!) / span) * span;
        const expected = new Set(bySlot.slice(first, first + span));
        expect(expected.size).toBe(span);
        expect([...expected].map((ref) => engine.view(Roamer, ref).stamp).sort((a, b) => a - b)).not.toEqual(Array.from({ length: span }, (_, i) => first + i)); // not the spawn order
        await engine.step(); // tick 5
        const restarted = new Set(engine.refs(Roamer).filter((ref) => engine.view(Roamer, ref).ticks === 0));
        expect(restarted).toEqual(expected);
        for (const ref of refs) if (!expected.has(ref)) expect(engine.view(Roamer, ref).ticks).toBe(6);
        expect(engine.stats().supervision).toMatchObject({ restarts: span });
      } finally {
        await engine.close();
      }
    }, 20_000);
  }
});

describe('refs and messages across spatial sorts', () => {
  for (const threads of [1, 2]) {
    it(`delivers every note to the actor its ref names, across sorts every 2 ticks; a stale ref whose handle a new actor took is a dead letter (${threads} thread(s))`, async () => {
      const engine = world({ threads, spatial: spatial(2) });
      const refs = engine.refs(Roamer);
      try {
        await engine.step(8);
        expect(engine.stats().spatial!.sorts).toBe(5); // into ticks 1, 2, 4, 6 and 8
        for (const [stamp, s] of census(engine)) {
          expect(s.misdelivered).toBe(0);
          expect(s.notes).toBe(7); // one a tick from tick 1 on (sent the tick before)
          const sender = (((stamp - 3) * 23) % N + N) % N; // 7 × 23 = 161 ≡ 1 (mod 160)
          expect(targetOf(sender)).toBe(stamp);
          expect(s.noteSum).toBe(7 * sender);
        }
        expect(engine.stats().deadLetters).toBe(0);

        // 40 goes; its sender keeps its ref. A sort compacts the slots, then a new actor takes 40's handle.
        const victim = refs[40]!;
        expect(engine.despawn(victim)).toBe(true);
        await engine.step(2); // ticks 8 and 9; sorted into tick 10: 40's slot is gone
        expect(engine.stats().spatial!.sorts).toBe(6);
        const deadBefore = engine.stats().deadLetters;
        // The notes sent at ticks 7, 8 and 9: 7's found gone where it was delivered (tick 8); 8's and
        // 9's by the jobs that sent them (40's handle was free: no page to route them to).
        expect(deadBefore).toBe(3);
        engine.spawn(Roamer, 1, (r) => {
          r.stamp = 1000;
          r.position.set(1, 1, 1);
        });
        const newcomer = engine.refs(Roamer).find((ref) => engine.view(Roamer, ref).stamp === 1000)!;
        expect(refHandle(newcomer)).toBe(refHandle(victim)); // the freed handle, reused (LIFO)
        expect(newcomer).not.toBe(victim);
        await engine.step(4); // ticks 10 to 13, sorted again into 12 and 14
        expect(engine.stats().spatial!.sorts).toBe(8);
        expect(stateOf(engine, newcomer)).toMatchObject({ notes: 0, misdelivered: 0 });
        // Sent at 10, 11 and 12 to a handle the newcomer holds now: routed to its page, found not to
        // be 40 (generation) where delivered, each counted once (13's is delivered at tick 14).
        expect(engine.stats().deadLetters).toBe(deadBefore + 3);
        for (const [stamp, s] of census(engine)) expect(s.misdelivered, `roamer ${stamp}`).toBe(0);
      } finally {
        await engine.close();
      }
    }, 20_000);
  }
});

describe('dead letters after a sort compacted a kind away', () => {
  it('counts a message to a stale ref of a kind left with no pages (the last kind) as a dead letter', async () => {
    const engine = createEngine({ threads: 1, spatial: spatial(2) });
    engine.spawn(Ghost, 3); // kind 0: not indexed, keeps its page
    roamers((n, init) => engine.spawn(Roamer, n, init), 5); // kind 1: the last kind
    const gone = engine.refs(Roamer);
    for (const ref of gone) engine.despawn(ref);
    try {
      await engine.step(2); // sorted into ticks 1 and 2: Roamer holds no slot, no page
      expect(engine.stats().deadLetters).toBe(0);
      engine.send(gone[2]!, Note, { forStamp: 2, fromStamp: 0 });
      await engine.step();
      expect(engine.stats().deadLetters).toBe(1);
    } finally {
      await engine.close();
    }
  });
});

describe('a worker that dies mid-tick, with the actors sorted in space', () => {
  it('redoes the lost jobs from the pre-job copies: every tick hashes as in the fault-free run', async () => {
    const run = async (drill: boolean) => {
      const engine = world({ threads: 2, spatial: spatial(2), retention: { recent: 2 }, supervision: { policy: policy() } });
      const hashes: string[] = [];
      try {
        for (let t = 0; t < 9; t++) {
          if (drill && t === 2) engine.drill({ workerExitRate: 0.1 });
          if (drill && t === 7) engine.drill({ workerExitRate: 0 });
          await engine.step();
          hashes.push(engine.stateHash());
        }
        return { hashes, stats: engine.stats() };
      } finally {
        await engine.close();
      }
    };
    const clean = await run(false);
    const faulted = await run(true);
    expect(faulted.stats.scheduler.workerExits).toBeGreaterThan(0);
    expect(faulted.stats.supervision!.jobsRedone).toBeGreaterThan(0);
    expect(faulted.stats.spatial!.sorts).toBe(5);
    expect(faulted.hashes).toEqual(clean.hashes);
  }, 30_000);
});

describe('drills with the actors sorted in space', () => {
  it('stateHash({ exclude }) tells a drilled run from a clean one only by the faulted actors, though restarts change the sort', async () => {
    // Restarted drifters go back to the origin: the sorts place them elsewhere than in the clean run.
    const run = async (rate: number, exclude?: Set<number>) => {
      const engine = createEngine({ threads: 1, seed: 21, actorModules: [DRIFT], spatial: { strategy: 'adaptive-octree', bounds: { min: [-50, -50, -50], max: [1050, 50, 50] }, splitAbove: 16, reorderEvery: 3 }, supervision: { policy: policy({ maxRestarts: 100 }) } });
      engine.spawn(Drifter, 1000, (d, i) => {
        d.position.set((i * 37) % 1000, 0, -((i * 11) % 40));
        d.velocity.set((i % 5) - 2, 1, (i % 3) - 1);
      });
      const faulted = new Set<number>();
      engine.onHandlerError((r) => faulted.add(r.actor as number));
      try {
        engine.drill({ handlerThrowRate: rate });
        await engine.step(12);
        return { faulted, full: engine.stateHash(), outside: engine.stateHash({ exclude: (exclude ?? faulted) as Set<ActorRef> }), sorts: engine.stats().spatial!.sorts };
      } finally {
        await engine.close();
      }
    };
    const drilled = await run(0.003);
    const clean = await run(0, drilled.faulted);
    expect(drilled.faulted.size).toBeGreaterThan(10);
    expect(drilled.sorts).toBe(5);
    expect(drilled.full).not.toBe(clean.full);
    expect(drilled.outside).toBe(clean.outside);
  }, 20_000);
});

describe('replay from disk with the actors sorted in space', () => {
  it('a uniform-grid engine restoring a tick stored with sorted slots answers neighbours with the refs of the actors found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concurrengine-sorted-'));
    dirs.push(dir);
    const spawn = (engine: Engine) => engine.spawn(Seeker, 200, (s, i) => s.position.set((i * 37) % 64, (i * 11) % 64, (i * 53) % 64));
    const sorted = createEngine({ threads: 1, seed: 5, spatial: spatial(2), snapshots: { dir, every: 2, keep: 10, maxQueued: 4 } });
    spawn(sorted);
    await sorted.step(4); // sorted into ticks 1, 2 and 4: handles and slots differ
    await sorted.close();
    const grid = createEngine({ threads: 1, seed: 5, spatial: { cellSize: 6 }, restore: { dir, tick: 4 } });
    spawn(grid);
    try {
      await grid.step(2);
      let checked = 0;
      for (const ref of grid.refs(Seeker)) {
        const seeker = grid.view(Seeker, ref);
        if (seeker.nearest === NO_ACTOR) continue;
        const other = grid.view(Seeker, seeker.nearest).position; // alive, and within the radius
        expect(Math.hypot(other.x - seeker.position.x, other.y - seeker.position.y, other.z - seeker.position.z)).toBeLessThanOrEqual(6);
        checked++;
      }
      expect(checked).toBeGreaterThan(150);
    } finally {
      await grid.close();
    }
  }, 20_000);

  // Without `bounds`, the octree takes the extent of the world at the recording engine's first
  // tick, and the sort orders the actors by Morton cells of that box. A restoring engine builds its
  // tree from its own world before the restore; the stored tick carries the recording engine's box
  // (meta `spatialBounds`) and the restore adopts it, so the sorts lay the actors out as recorded.
  it('replays to the recorded hashes when the restoring engine spawned another world before the restore (no bounds given)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concurrengine-sorted-'));
    dirs.push(dir);
    const unbounded: EngineOptions['spatial'] = { strategy: 'adaptive-octree', splitAbove: 8, reorderEvery: 3 };
    const engine = world({ threads: 1, spatial: unbounded, snapshots: { dir, every: 5, keep: 10, maxQueued: 4 } });
    const recorded = [engine.stateHash()];
    try {
      for (let t = 0; t < 15; t++) {
        await engine.step();
        recorded.push(engine.stateHash());
      }
    } finally {
      await engine.close();
    }
    const replay = createEngine({ threads: 1, seed: 5, actorModules: [SORTED_FIXTURE], spatial: unbounded, restore: { dir, tick: 10 } });
    roamers((n, init) => replay.spawn(Roamer, n, init), N / 2, (r) => r.position.set(r.position.x * 3, r.position.y, r.position.z)); // another world: half of it, spread wider
    const replayed: string[] = [];
    try {
      await replay.step(0);
      replayed.push(replay.stateHash());
      for (let t = 10; t < 15; t++) {
        await replay.step();
        replayed.push(replay.stateHash());
      }
    } finally {
      await replay.close();
    }
    expect(replayed).toEqual(recorded.slice(10));
  }, 20_000);
});
