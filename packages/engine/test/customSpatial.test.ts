/**
 * A spatial strategy of the user's own (issue 16): written against `@concurrengine/spatial`'s
 * ports only, it plugs into the builder like the built-ins, its thread module reaches the workers
 * the way a job module does, and it answers `ctx.neighbours()` in every thread. The test's own
 * linear scan is the reference for it, and it for the built-in grid and octree (same answers, so
 * the same state hash, for 1 and 2 threads).
 */
import { adaptiveOctree, uniformGrid, type SpatialStrategy } from '@concurrengine/spatial';
import { describe, expect, it } from 'vitest';

import { createEngine, Engine, EngineError, type Engine as EngineT } from '../src/index.js';
import { Counter, RADIUS, scatterCounters } from './fixtures/counting.js';
import { scanIndex } from './fixtures/scanIndex.js';

const COUNTING = new URL('./fixtures/counting.ts', import.meta.url).href;
const TICKS = 6;
const N = 300;

/** Each counter's neighbour count and ref sum, by brute force over the positions `engine` holds now. */
function bruteForce(engine: EngineT): Map<number, { near: number; refSum: number }> {
  const refs = engine.refs(Counter);
  const at = refs.map((ref) => {
    const p = engine.view(Counter, ref).position;
    return { ref, x: p.x, y: p.y, z: p.z };
  });
  const answer = new Map<number, { near: number; refSum: number }>();
  for (const a of at) {
    let near = 0;
    let refSum = 0;
    for (const b of at) {
      if ((a.x - b.x) ** 2 + (a.y - b.y) ** 2 + (a.z - b.z) ** 2 <= RADIUS * RADIUS) {
        near++;
        refSum += b.ref;
      }
    }
    answer.set(a.ref, { near, refSum });
  }
  return answer;
}

async function run(threads: number, spatial: SpatialStrategy | { cellSize: number }) {
  const engine = createEngine({ threads, seed: 5, actorModules: [COUNTING], spatial });
  scatterCounters((n, init) => engine.spawn(Counter, n, init), N);
  const hashes: string[] = [];
  let mismatches = 0;
  try {
    for (let t = 0; t < TICKS; t++) {
      // What the handlers of the next tick must see: the positions as they stand now.
      const expected = bruteForce(engine);
      await engine.step();
      for (const ref of engine.refs(Counter)) {
        const counter = engine.view(Counter, ref);
        const want = expected.get(ref)!;
        if (counter.near !== want.near || counter.refSum !== want.refSum) mismatches++;
      }
      hashes.push(engine.stateHash());
    }
    return { hashes, mismatches, stats: engine.stats().spatial };
  } finally {
    await engine.close();
  }
}

describe('a spatial strategy of your own', () => {
  it('answers every neighbour query like a brute-force scan in the workers, with the same state hashes as the built-in grid and octree, for 1 and 2 threads', async () => {
    const strategy = scanIndex();
    const two = await run(2, strategy);
    expect(two.mismatches).toBe(0);
    expect(strategy.rebuilds()).toBeGreaterThanOrEqual(TICKS);
    expect(two.stats?.strategy).toBe('scan');
    const one = await run(1, scanIndex());
    expect(one.hashes).toEqual(two.hashes);
    const grid = await run(2, uniformGrid({ cellSize: RADIUS }));
    expect(grid.mismatches).toBe(0);
    expect(grid.hashes).toEqual(two.hashes);
    const octree = await run(2, adaptiveOctree({ splitAbove: 16, reorderEvery: 0 }));
    expect(octree.mismatches).toBe(0);
    expect(octree.stats?.strategy).toBe('adaptive-octree');
    expect(octree.hashes).toEqual(two.hashes); // no spatial sort (reorderEvery 0): slots as the scan's
  }, 120_000);

  it('plugs into the builder like the built-ins', async () => {
    const engine = Engine.builder().threads(2).seed(5).actorModules(COUNTING).spatial(scanIndex()).build();
    try {
      scatterCounters((n, init) => engine.spawn(Counter, n, init), 50);
      await engine.step(2);
      const counts = engine.refs(Counter).map((ref) => engine.view(Counter, ref).near);
      // Every counter at least finds itself.
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('refuses, with a typed error naming what is wrong, a strategy with no thread module, one another engine uses, and bad built-in options', async () => {
    const codeOf = (make: () => unknown): unknown => {
      try {
        make();
        return undefined;
      } catch (error) {
        return error instanceof EngineError ? `${error.code}: ${error.message}` : error;
      }
    };
    const broken = { ...scanIndex(), thread: { url: 'not a url', data: {} } };
    expect(codeOf(() => createEngine({ threads: 1, spatial: broken }))).toMatch(/^ENGINE_INVALID_ARGUMENT: .*thread\.url/);
    const shared = scanIndex();
    const first = createEngine({ threads: 1, spatial: shared });
    expect(codeOf(() => createEngine({ threads: 1, spatial: shared }))).toMatch(/^ENGINE_INVALID_ARGUMENT: .*another engine/);
    await first.close();
    expect(codeOf(() => createEngine({ threads: 1, spatial: { strategy: 'adaptive-octree', reorderEvery: -1 } }))).toMatch(/^ENGINE_INVALID_ARGUMENT: spatial\.reorderEvery/);
    expect(codeOf(() => createEngine({ threads: 1, spatial: { cellSize: 0 } }))).toMatch(/^ENGINE_INVALID_ARGUMENT: spatial\.cellSize/);
  });

  it('fails the start with a typed error when the thread module exports no createSpatialThread', async () => {
    const strategy = { ...scanIndex(), thread: { url: COUNTING, data: {} } };
    const engine = createEngine({ threads: 2, actorModules: [COUNTING], spatial: strategy });
    scatterCounters((n, init) => engine.spawn(Counter, n, init), 10);
    try {
      await expect(engine.step()).rejects.toThrow(/createSpatialThread/);
      expect(engine.state()).toBe('failed');
    } finally {
      await engine.close().catch(() => undefined);
    }
  }, 60_000);
});
