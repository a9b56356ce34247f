/**
 * `partition_strategy` and `[spatial]` from a config file, over the program's `.spatial(…)`; the
 * options an engine ran with, recorded in every stored tick for a replay; a host's spatial override.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openFileSnapshotStore } from '@concurrengine/snapshot';
import { adaptiveOctree } from '@concurrengine/spatial';
import { afterAll, describe, expect, it } from 'vitest';

import { applySpatialOverride, describeStoredTick, Engine, EngineError, experimental_setEngineHost, type SpatialOptions } from '../src/index.js';
import { spreadSwarm, Swarmer } from './fixtures/swarm.js';

const SWARM = new URL('./fixtures/swarm.ts', import.meta.url).href;
const root = mkdtempSync(join(tmpdir(), 'concurrengine-spatial-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let files = 0;
/** A config file: one thread, no telemetry, snapshots every 2 ticks into a directory of its own, plus `engine` lines and a `[spatial]` body. */
function configFile(engine: string, spatial = ''): { file: string; snapshots: string } {
  const snapshots = join(root, `snapshots-${++files}`);
  const file = join(root, `c${files}.toml`);
  writeFileSync(file, `[engine]\nthreads = 1\nsnapshot_interval = 2\nsnapshot_max_queued = 8\nsnapshot_dir = ${JSON.stringify(snapshots)}\n${engine}\n[spatial]\n${spatial}\n[telemetry]\nexporter = "none"\n`);
  return { file, snapshots };
}

/** Builds from `file` (and the program's `spatial`), runs 3 ticks over 2000 swarmers spread over [0, 100)³, and returns its stats and stored tick 2. */
async function runConfigured(file: string, snapshots: string, spatial?: SpatialOptions) {
  const builder = Engine.builder().config(file).actorModules(SWARM);
  if (spatial) builder.spatial(spatial);
  const engine = builder.build();
  spreadSwarm((n, init) => engine.spawn(Swarmer, n, init), 2000);
  await engine.step(3);
  const stats = engine.stats().spatial;
  await engine.close();
  const store = await openFileSnapshotStore(join(snapshots, readdirSync(snapshots)[0]!), { worker: false });
  try {
    const meta = JSON.parse(new TextDecoder().decode((await store.readTick(2)).meta)) as Record<string, unknown>;
    return { stats, meta, info: await describeStoredTick(store, 2) };
  } finally {
    await store.close();
  }
}

describe('[spatial] through Engine.builder().config(file)', () => {
  it('selects the octree with the configured world box and leaf size, and records them in every stored tick', async () => {
    const box = { min: [-50, -50, -50], max: [150, 150, 150] };
    const small = configFile('partition_strategy = "adaptive-octree"', 'world_min = [-50, -50, -50]\nworld_max = [150, 150, 150]\nsplit_above = 64\nreorder_every = 3');
    const run = await runConfigured(small.file, small.snapshots);
    expect(run.stats).toMatchObject({ strategy: 'adaptive-octree', outside: 0 });
    expect(run.stats!.partitions).toBeGreaterThan(2000 / 64);
    expect(run.meta['spatialBounds']).toEqual(box);
    expect(run.info.spatial).toEqual({ strategy: 'adaptive-octree', bounds: box, splitAbove: 64, reorderEvery: 3, sort: 'steps' });

    // The same world with a leaf size above its actor count: one leaf.
    const large = configFile('partition_strategy = "adaptive-octree"', 'split_above = 4096');
    const one = await runConfigured(large.file, large.snapshots);
    expect(one.stats).toMatchObject({ strategy: 'adaptive-octree', partitions: 1 });
    expect(one.info.spatial).toMatchObject({ strategy: 'adaptive-octree', splitAbove: 4096, reorderEvery: 8 });
  }, 30_000);

  it('keeps the program\'s values for keys the file did not set, and takes the grid\'s cell from cell_size', async () => {
    const tuned = configFile('', 'reorder_every = 0\nmerge_below = 4');
    const octree = await runConfigured(tuned.file, tuned.snapshots, { strategy: 'adaptive-octree', splitAbove: 32, bounds: { min: [0, 0, 0], max: [100, 100, 100] } });
    expect(octree.info.spatial).toEqual({ strategy: 'adaptive-octree', bounds: { min: [0, 0, 0], max: [100, 100, 100] }, splitAbove: 32, mergeBelow: 4, reorderEvery: 0, sort: 'steps' });

    const grid = configFile('partition_strategy = "uniform-grid"', 'cell_size = 2.5');
    const cells = await runConfigured(grid.file, grid.snapshots);
    expect(cells.stats?.strategy).toBe('uniform-grid');
    expect(cells.info.spatial).toEqual({ strategy: 'uniform-grid', cellSize: 2.5 });

    const single = configFile('partition_strategy = "single"');
    const none = await runConfigured(single.file, single.snapshots, { cellSize: 3 });
    expect(none.stats).toBeUndefined();
    expect(none.info.spatial).toEqual({ strategy: 'single' });
  }, 30_000);

  it('lets a host override the program and its config file (a replay\'s exact options)', async () => {
    experimental_setEngineHost({ spatial: { strategy: 'adaptive-octree', splitAbove: 16, reorderEvery: 5, exact: true } });
    try {
      const engine = Engine.builder().threads(1).spatial({ cellSize: 4 }).actorModules(SWARM).build();
      expect(engine.stats().spatial?.strategy).toBe('adaptive-octree');
      await engine.close();
    } finally {
      experimental_setEngineHost(undefined);
    }
  });
});

describe('applySpatialOverride', () => {
  const octree: SpatialOptions = { strategy: 'adaptive-octree', bounds: { min: [0, 0, 0], max: [1, 1, 1] }, splitAbove: 100, mergeBelow: 20, reorderEvery: 7 };

  it('changes only what the override sets', () => {
    expect(applySpatialOverride(octree, {})).toEqual(octree);
    expect(applySpatialOverride(octree, { reorderEvery: 0 })).toEqual({ ...octree, reorderEvery: 0 });
    expect(applySpatialOverride({ cellSize: 3 }, { splitAbove: 8 })).toEqual({ strategy: 'uniform-grid', cellSize: 3 });
    expect(applySpatialOverride(undefined, { splitAbove: 8 })).toBeUndefined(); // keys alone select no index
    expect(applySpatialOverride({ cellSize: 3 }, { strategy: 'adaptive-octree', splitAbove: 8 })).toEqual({ strategy: 'adaptive-octree', splitAbove: 8 });
  });

  it('"auto" drops the program\'s box and merge threshold for the engine\'s own', () => {
    expect(applySpatialOverride(octree, { bounds: 'auto', mergeBelow: 'auto' })).toEqual({ strategy: 'adaptive-octree', splitAbove: 100, reorderEvery: 7 });
  });

  it('exact ignores the program', () => {
    expect(applySpatialOverride(octree, { strategy: 'adaptive-octree', splitAbove: 512, reorderEvery: 600, exact: true })).toEqual({ strategy: 'adaptive-octree', splitAbove: 512, reorderEvery: 600 });
    expect(applySpatialOverride(octree, { strategy: 'single', exact: true })).toBeUndefined();
  });

  it('keeps a program\'s own strategy object unless the outside names a strategy; a built-in one counts as its options', () => {
    const own = { ...adaptiveOctree(), name: 'own', options: undefined };
    expect(applySpatialOverride(own, { splitAbove: 8, reorderEvery: 0 })).toBe(own);
    expect(applySpatialOverride(own, { strategy: 'custom', exact: true })).toBe(own); // a stored tick of that program
    expect(applySpatialOverride(own, { strategy: 'adaptive-octree', splitAbove: 8 })).toEqual({ strategy: 'adaptive-octree', splitAbove: 8 });
    expect(applySpatialOverride(own, { strategy: 'single' })).toBeUndefined();
    const builtIn = adaptiveOctree({ splitAbove: 100 });
    expect(applySpatialOverride(builtIn, {})).toBe(builtIn);
    expect(applySpatialOverride(builtIn, { reorderEvery: 0 })).toEqual({ strategy: 'adaptive-octree', splitAbove: 100, reorderEvery: 0 });
  });

  it.each([
    ['a grid without a cell size', octree, { strategy: 'uniform-grid' as const }, /needs a cell size/],
    ['a split size at or below the program\'s merge size', octree, { splitAbove: 20 }, /mergeBelow \(20\) must be below splitAbove \(20\)/],
  ])('refuses %s with ENGINE_INVALID_ARGUMENT', (_, program, override, message) => {
    expect(() => applySpatialOverride(program, override)).toThrowError(expect.objectContaining({ code: 'ENGINE_INVALID_ARGUMENT', message: expect.stringMatching(message) }));
    expect(() => applySpatialOverride(program, override)).toThrowError(EngineError);
  });
});
