/**
 * The octree's index pass (issue 16): the per-actor half of the boundary's index update runs in
 * the workers, the main thread re-buckets only the actors that changed leaf. Through the engine:
 * every neighbour query a handler makes equals a scan over the positions at the end of the
 * previous tick, while actors cross partitions, leave the world box, die and are born every
 * tick; and the state hash is the same for 1, 2 and 4 threads.
 */
import { describe, expect, it } from 'vitest';

import type { ActorRef } from '@concurrengine/actors';

import { createEngine, type Engine } from '../src/index.js';
import { populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
/** A box smaller than where the walkers go: some are always outside it (the outside list). */
const SPATIAL = { strategy: 'adaptive-octree', bounds: { min: [-10, -6, -10], max: [110, 30, 110] }, splitAbove: 16, reorderEvery: 5 } as const;
const RADIUS = 4; // the walkers' query radius (fixtures/sim.ts)

/**
 * One step; then every sociable walker that existed before it must have counted exactly the
 * walkers a scan of the positions before the step finds within RADIUS. Returns how many were checked.
 */
async function stepAndCheckNeighbours(engine: Engine): Promise<number> {
  const before = new Map<ActorRef, readonly [number, number, number]>();
  for (const ref of engine.refs(Walker)) {
    const { position } = engine.view(Walker, ref);
    before.set(ref, [position.x, position.y, position.z]);
  }
  await engine.step();
  let checked = 0;
  for (const ref of engine.refs(Walker)) {
    const at = before.get(ref);
    if (!at || !engine.view(Walker, ref).sociable) continue; // born this tick, or born of a walker (those do not query)
    let scan = 0;
    for (const [x, y, z] of before.values()) {
      const dx = x - at[0], dy = y - at[1], dz = z - at[2];
      if (dx * dx + dy * dy + dz * dz <= RADIUS * RADIUS) scan++;
    }
    expect(engine.view(Walker, ref).near).toBe(scan);
    checked++;
  }
  return checked;
}

describe('the index pass in the workers', () => {
  it('keeps every neighbour count a handler sees equal to a scan over the last tick’s positions, with crossings, evictions, deaths and births every tick', async () => {
    const engine = createEngine({ threads: 2, seed: 5, actorModules: [SIM], spatial: SPATIAL });
    populate((n, init) => engine.spawn(Walker, n, init), 1200, true);
    try {
      await engine.step();
      let checked = 0;
      for (let t = 0; t < 12; t++) checked += await stepAndCheckNeighbours(engine);
      const spatial = engine.stats().spatial!;
      expect(checked).toBeGreaterThan(10_000);
      expect(spatial.passes).toBeGreaterThanOrEqual(12); // the workers did the per-actor part…
      expect(spatial.crossings).toBeGreaterThan(100); // …while actors changed leaf
      expect(spatial.outside).toBeGreaterThan(0); // and some were outside the box
      expect(spatial.splits).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('follows actors a restart moved after their job passed them (supervision puts their fields back at the boundary)', async () => {
    const engine = createEngine({
      threads: 2,
      seed: 9,
      actorModules: [SIM],
      spatial: SPATIAL,
      supervision: { policy: { restart: 'permanent', backoff: { kind: 'none' }, maxRestarts: 1_000_000, within: 50 } },
    });
    populate((n, init) => engine.spawn(Walker, n, init), 1200, true);
    try {
      engine.drill({ handlerThrowRate: 0.02 });
      await engine.step();
      let checked = 0;
      for (let t = 0; t < 8; t++) checked += await stepAndCheckNeighbours(engine);
      expect(checked).toBeGreaterThan(5000);
      expect(engine.stats().supervision!.restarts).toBeGreaterThan(50); // restarted walkers jump back to the origin
      expect(engine.stats().spatial!.passes).toBeGreaterThanOrEqual(8);
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('gives the same state hash every tick for 1, 2 and 4 threads', async () => {
    const run = async (threads: number) => {
      const engine = createEngine({ threads, seed: 11, actorModules: [SIM], spatial: SPATIAL });
      populate((n, init) => engine.spawn(Walker, n, init), 2000, true);
      const hashes: string[] = [];
      try {
        for (let t = 0; t < 15; t++) {
          await engine.step();
          hashes.push(engine.stateHash());
        }
        return { hashes, spatial: engine.stats().spatial! };
      } finally {
        await engine.close();
      }
    };
    const one = await run(1);
    const two = await run(2);
    const four = await run(4);
    expect(two.hashes).toEqual(one.hashes);
    expect(four.hashes).toEqual(one.hashes);
    for (const r of [one, two, four]) expect(r.spatial.passes).toBeGreaterThanOrEqual(14);
    const counters = (s: typeof one.spatial) => ({ ...s, updateMs: 0, sortMs: 0, passMs: 0, partitionJobs: 0 });
    expect(counters(two.spatial)).toEqual(counters(one.spatial));
    expect(counters(four.spatial)).toEqual(counters(one.spatial));
  }, 120_000);
});
