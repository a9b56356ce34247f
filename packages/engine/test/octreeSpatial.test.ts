/** The adaptive-octree spatial strategy (issue #7): determinism, exact neighbours, adaptivity, partition placement. */
import { describe, expect, it } from 'vitest';

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createEngine, Engine, EngineError } from '../src/index.js';
import { populate, Walker } from './fixtures/sim.js';
import { clumpedSwarm, GATHER, SCATTER, spreadSwarm, Swarmer } from './fixtures/swarm.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const SWARM = new URL('./fixtures/swarm.ts', import.meta.url).href;

describe('adaptive-octree spatial strategy', () => {
  it('gives the same state hash every tick for 1 and 2 threads, with actors crossing partitions and sorted in space every 3 ticks', async () => {
    const run = async (threads: number) => {
      const engine = createEngine({ threads, seed: 7, actorModules: [SIM], spatial: { strategy: 'adaptive-octree', bounds: { min: [-20, -40, -20], max: [120, 40, 120] }, splitAbove: 16, reorderEvery: 3 } });
      populate((n, init) => engine.spawn(Walker, n, init), 1500, true);
      const hashes: string[] = [];
      try {
        for (let t = 0; t < 20; t++) {
          await engine.step();
          hashes.push(engine.stateHash());
        }
        const near = engine.refs(Walker).filter((ref) => engine.view(Walker, ref).near >= 2).length;
        return { hashes, near, spatial: engine.stats().spatial! };
      } finally {
        await engine.close();
      }
    };
    const one = await run(1);
    const two = await run(2);
    expect(two.hashes).toEqual(one.hashes);
    expect(two.near).toBe(one.near);
    expect(one.near).toBeGreaterThan(50);
    expect(one.spatial.strategy).toBe('adaptive-octree');
    expect(one.spatial.partitions).toBeGreaterThan(20);
    expect(one.spatial.crossings).toBeGreaterThan(0); // actors changed leaf during the run
    expect(one.spatial.sorts).toBe(7); // ticks 1, 3, 6, …, 18
    expect({ ...two.spatial, updateMs: 0, sortMs: 0, passMs: 0, partitionJobs: 0 }).toEqual({ ...one.spatial, updateMs: 0, sortMs: 0, passMs: 0, partitionJobs: 0 });
  }, 60_000);

  it('splits the region a cluster gathers in and merges it back when the cluster disperses', async () => {
    const engine = createEngine({ threads: 1, actorModules: [SWARM], spatial: { strategy: 'adaptive-octree', bounds: { min: [0, 0, 0], max: [100, 100, 100] }, splitAbove: 64 } });
    spreadSwarm((n, init) => engine.spawn(Swarmer, n, init), 2000);
    try {
      await engine.step(GATHER);
      const spread = engine.stats().spatial!;
      await engine.step(1); // tick GATHER: everyone in a unit cube at CLUSTER
      const gathered = engine.stats().spatial!;
      await engine.step(SCATTER - GATHER); // tick SCATTER: everyone home again
      const scattered = engine.stats().spatial!;
      expect(gathered.splits).toBeGreaterThan(spread.splits); // the cluster's region split
      expect(gathered.merges).toBeGreaterThan(spread.merges); // the emptied regions merged
      expect(scattered.merges).toBeGreaterThan(gathered.merges); // the cluster's region merged back
      // Hysteresis: the shape after need not be the one before (leaves between the marks stay).
      expect(scattered.partitions).toBeLessThan(gathered.partitions); // the cluster's deep leaves are gone
      expect(gathered.crossings).toBeGreaterThan(spread.crossings + 1900);
    } finally {
      await engine.close();
    }
  });

  it('places jobs whose pages lie in one partition on the worker that last ran that partition', async () => {
    const engine = createEngine({ threads: 2, actorModules: [SWARM], spatial: { strategy: 'adaptive-octree', bounds: { min: [0, 0, 0], max: [100, 100, 100] }, splitAbove: 300 } });
    clumpedSwarm((n, init) => engine.spawn(Swarmer, n, init), 16, 256);
    try {
      await engine.step(GATHER); // before the swarm gathers
      const spatial = engine.stats().spatial!;
      expect(spatial.partitions).toBeGreaterThanOrEqual(16);
      expect(spatial.partitionJobs).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('takes [engine] partition_strategy from config(file) when set, and keeps the program\'s strategy when not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'octree-config-'));
    const strategyOf = async (line: string, spatial?: Parameters<ReturnType<typeof Engine.builder>['spatial']>[0]) => {
      const file = join(dir, 'c.toml');
      writeFileSync(file, `[engine]\nthreads = 1\nsnapshot_interval = 0\n${line}\n[telemetry]\nexporter = "none"\n`);
      const builder = Engine.builder().config(file);
      if (spatial) builder.spatial(spatial);
      const engine = builder.build();
      try {
        return engine.stats().spatial?.strategy;
      } finally {
        await engine.close();
      }
    };
    try {
      expect(await strategyOf('', { cellSize: 4 })).toBe('uniform-grid'); // the default is not applied over the program
      expect(await strategyOf('partition_strategy = "adaptive-octree"', { cellSize: 4 })).toBe('adaptive-octree');
      expect(await strategyOf('partition_strategy = "adaptive-octree"')).toBe('adaptive-octree');
      expect(await strategyOf('partition_strategy = "uniform-grid"', { strategy: 'adaptive-octree' }).catch((e: unknown) => e instanceof EngineError && e.code)).toBe('ENGINE_INVALID_ARGUMENT');
      expect(await strategyOf('partition_strategy = "uniform-grid"', { cellSize: 2 })).toBe('uniform-grid');
      expect(await strategyOf('partition_strategy = "single"', { cellSize: 2 })).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });});
