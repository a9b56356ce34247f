/**
 * Sort steps over windows smaller than the world (issue 16: no stop-the-world sort): 20,003
 * roamers of 16-actor pages (a partial last page, and every 97th despawned: free slots in the
 * windows) make 1,251 pages, so each step sorts one window of 1,024 pages (~16K actors) of a
 * world that is never in order — actors cross 3 units a tick. The state hash
 * must be the same for 1 and 2 threads, after rewinds into the middle of the sweeps, and after a
 * replay from disk; every note a roamer sends must reach the actor it was meant for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createEngine, NO_ACTOR, type ActorRef, type Engine, type EngineOptions } from '../src/index.js';
import { BOUNDS, Roamer, roamers } from './fixtures/sorted.js';

const SORTED_FIXTURE = new URL('./fixtures/sorted.ts', import.meta.url).href;
const N = 20_003;
const GONE = (i: number) => i % 97 === 13;
const TICKS = 10;
const spatial: EngineOptions['spatial'] = { strategy: 'adaptive-octree', bounds: BOUNDS, splitAbove: 64, reorderEvery: 1 };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Roamer i notes roamer 7i + 3 (mod N) every tick, expecting its stamp. */
function world(options: Partial<EngineOptions>): Engine {
  const engine = createEngine({ seed: 9, actorModules: [SORTED_FIXTURE], spatial, ...options });
  const refs: ActorRef[] = [];
  roamers((n, init) => engine.spawn(Roamer, n, init), N);
  for (const ref of engine.refs(Roamer)) refs.push(ref);
  refs.forEach((ref, i) => {
    const roamer = engine.view(Roamer, ref);
    roamer.target = refs[(7 * i + 3) % N] ?? NO_ACTOR;
    roamer.targetStamp = (7 * i + 3) % N;
  });
  return engine;
}

/**
 * The hash after every tick. After the first (the whole sort, which packs the live actors), every
 * 97th roamer is despawned: free slots inside the windows of the steps that follow.
 */
async function record(engine: Engine): Promise<string[]> {
  const hashes = [engine.stateHash()];
  for (let t = 1; t <= TICKS; t++) {
    await engine.step();
    if (t === 1) for (const ref of engine.refs(Roamer)) if (GONE(engine.view(Roamer, ref).stamp)) engine.despawn(ref);
    hashes.push(engine.stateHash());
  }
  return hashes;
}

describe('sort steps over part of the world', () => {
  it('give the same hashes for 1 and 2 threads and after rewinds, and lose no note', async () => {
    const one = world({ threads: 1 });
    const two = world({ threads: 2, retention: { recent: TICKS + 1 } });
    try {
      const hashes = await record(one);
      expect(await record(two)).toEqual(hashes);
      const stats = two.stats().spatial!;
      expect(stats.sorts).toBe(TICKS); // the whole sort at tick 1, then a step every tick
      for (const target of [3, 7, 4]) {
        await two.rewind(target);
        for (let t = target + 1; t <= TICKS; t++) {
          await two.step();
          expect(two.stateHash(), `tick ${t} after a rewind to ${target}`).toBe(hashes[t]);
        }
      }
      let notes = 0;
      // Each roamer has one sender (i → 7i + 3 is a bijection mod N): its notes are that sender's,
      // none twice and none lost — totals alone would hide a note delivered twice and another lost.
      const senderOf = new Int32Array(N);
      for (let i = 0; i < N; i++) senderOf[(7 * i + 3) % N] = i;
      let wrong = 0;
      for (const ref of two.refs(Roamer)) {
        const roamer = two.view(Roamer, ref);
        expect(roamer.misdelivered).toBe(0);
        const sender = senderOf[roamer.stamp]!;
        const expected = 1 + (GONE(sender) ? 0 : TICKS - 2);
        if (roamer.notes !== expected || roamer.noteSum !== sender * expected) wrong++;
        notes += roamer.notes;
      }
      expect(wrong).toBe(0);
      // Every note sent in ticks 0 … TICKS − 2 arrived once, at its actor: all of tick 0's; from
      // tick 1 on, those between two roamers still alive.
      const survivors = Array.from({ length: N }, (_, i) => i).filter((i) => !GONE(i));
      const delivered = survivors.length + survivors.filter((i) => !GONE((7 * i + 3) % N)).length * (TICKS - 2);
      expect(notes).toBe(delivered);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  }, 120_000);

  it('replay from disk to the recorded hashes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concurrengine-steps-'));
    dirs.push(dir);
    const recorded = world({ threads: 2, snapshots: { dir, every: 4, keep: 0, maxQueued: 4 } });
    const hashes = await record(recorded);
    await recorded.close();
    const replay = world({ threads: 1, restore: { dir, tick: 4 } });
    try {
      await replay.step(); // the restore happens before the first tick
      expect(replay.stats().tick).toBe(5);
      expect(replay.stateHash()).toBe(hashes[5]);
      for (let t = 6; t <= TICKS; t++) {
        await replay.step();
        expect(replay.stateHash(), `tick ${t}`).toBe(hashes[t]);
      }
    } finally {
      await replay.close();
    }
  }, 120_000);
});
