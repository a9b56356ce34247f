/**
 * The brief's example (1M GameEntity, position += velocity·dt, emit PositionChanged) with a
 * spatial index on: the adaptive octree against the uniform grid, two engines of 2 threads in the
 * same run, on the same seeded positions (uniform in a 1000³ box) and velocities. What differs is
 * the boundary: the grid is rebuilt from every position, the octree updated incrementally and
 * rebalanced; and job placement (the octree's partitions may name a worker). A third engine runs
 * the octree with its spatial sort off (`reorderEvery: 0`): actors stay in spawn order, which is
 * random in space, against sorted at the first boundary and every 600 ticks (the default). A
 * fourth runs the simple strategy (`partition_strategy = "single"`: no index, jobs are runs of
 * pages, `ctx.neighbours()` unavailable): what the index costs the same example.
 */
import { createBenchSuite, createPrng, percentile } from '@concurrengine/bench-harness';
import { createEngine, type SpatialOptions } from '@concurrengine/engine';

import { GameEntity } from './briefKinds.js';

const N = Number(process.env.ACTORS ?? 1_000_000);
const SEED = 42;
const SIDE = 1000;
const KINDS = new URL('./briefKinds.ts', import.meta.url).href;

const prng = createPrng(SEED);
const positions = Float64Array.from({ length: N * 3 }, () => prng.range(0, SIDE));
const velocities = Float64Array.from({ length: N * 3 }, () => prng.range(-1, 1));

async function engineWith(spatial: SpatialOptions | undefined) {
  const engine = createEngine({ threads: 2, seed: SEED, actorModules: [KINDS], ...(spatial ? { spatial } : {}) });
  engine.spawn(GameEntity, N, (e, i) => {
    e.position.set(positions[i * 3]!, positions[i * 3 + 1]!, positions[i * 3 + 2]!);
    e.velocity.set(velocities[i * 3]!, velocities[i * 3 + 1]!, velocities[i * 3 + 2]!);
  });
  await engine.step(30); // workers started, JIT warm, the octree split to its working shape
  return engine;
}
type Running = Awaited<ReturnType<typeof engineWith>>;

// A cell of 10 holds ~1 actor at this density; the octree's default leaves hold ≤ 512.
const grid = await engineWith({ cellSize: 10 });
const BOUNDS = { min: [-100, -100, -100], max: [SIDE + 100, SIDE + 100, SIDE + 100] } as const;
const octree = await engineWith({ strategy: 'adaptive-octree', bounds: BOUNDS });
const unsorted = await engineWith({ strategy: 'adaptive-octree', bounds: BOUNDS, reorderEvery: 0 });
const single = await engineWith(undefined);

const timeTick = async (engine: Running) => {
  const start = performance.now();
  await engine.step();
  return performance.now() - start;
};
const BLOCK = 10;
const block = (tick: () => Promise<number>) => async () => {
  let total = 0;
  for (let i = 0; i < BLOCK; i++) total += await tick();
  return total / BLOCK;
};
const steals = (engine: Running) => engine.stats().scheduler.workers.reduce((n, w) => n + w.stolenJobs, 0);
/** Steals and ticks seen during the p99 samples, per engine. */
const seen = new Map<Running, { steals: number; ticks: number }>();
const p99 = (engine: Running) => async () => {
  const ticks: number[] = [];
  const before = steals(engine);
  for (let i = 0; i < 120; i++) ticks.push(await timeTick(engine));
  const total = seen.get(engine) ?? { steals: 0, ticks: 0 };
  seen.set(engine, { steals: total.steals + steals(engine) - before, ticks: total.ticks + ticks.length });
  return percentile(ticks, 99);
};
/** The main thread's index work at the boundary (`updateMs`); with `withPass`, plus the workers' index pass before it (`passMs`, wall time). */
const boundaryMs = (engine: Running, withPass = false) => async () => {
  let total = 0;
  for (let i = 0; i < BLOCK; i++) {
    await engine.step();
    const s = engine.stats().spatial!;
    total += s.updateMs + (withPass ? s.passMs : 0);
  }
  return total / BLOCK;
};
const stealsPerTick = (engine: Running) => () => {
  const s = seen.get(engine)!;
  return s.steals / s.ticks;
};

const M = `${N / 1e6}M actors`;
await createBenchSuite({ package: 'engine', seed: SEED })
  .measure({ case: `brief example + spatial index, tick, octree sorted in space vs unsorted, 2 threads, ${M}`, unit: 'ms', better: 'lower', samples: 15, ours: { name: 'adaptive octree, actors sorted in space (default)', sample: block(() => timeTick(octree)) }, peer: { name: 'adaptive octree, actors in spawn order', sample: block(() => timeTick(unsorted)) } })
  .measure({ case: `brief example + spatial index, boundary index update, octree sorted vs unsorted, ${M}`, unit: 'ms', better: 'lower', samples: 10, ours: { name: 'sorted: main thread update + rebalance', sample: boundaryMs(octree) }, peer: { name: 'unsorted', sample: boundaryMs(unsorted) } })
  .measure({ case: `brief example + spatial index, tick, octree vs uniform grid, 2 threads, ${M}`, unit: 'ms', better: 'lower', samples: 15, ours: { name: 'adaptive octree', sample: block(() => timeTick(octree)) }, peer: { name: 'uniform grid (cell 10)', sample: block(() => timeTick(grid)) } })
  .measure({ case: `brief example + spatial index, tick p99 over 120 ticks, octree vs uniform grid, 2 threads, ${M}`, unit: 'ms', better: 'lower', samples: 3, ours: { name: 'adaptive octree', sample: p99(octree) }, peer: { name: 'uniform grid (cell 10)', sample: p99(grid) } })
  .measure({ case: `brief example + spatial index, boundary index update, octree vs uniform grid, ${M}`, unit: 'ms', better: 'lower', samples: 10, ours: { name: 'octree, main thread: listed update + rebalance', sample: boundaryMs(octree) }, peer: { name: 'grid rebuild', sample: boundaryMs(grid) } })
  .measure({ case: `brief example + spatial index, boundary index work with the workers' pass, octree vs uniform grid, ${M}`, unit: 'ms', better: 'lower', samples: 10, ours: { name: 'octree pass (workers) + update + rebalance', sample: boundaryMs(octree, true) }, peer: { name: 'grid rebuild', sample: boundaryMs(grid) } })
  .measure({ case: `brief example, tick, octree vs the simple strategy (no index), 2 threads, ${M}`, unit: 'ms', better: 'lower', samples: 15, ours: { name: 'adaptive octree', sample: block(() => timeTick(octree)) }, peer: { name: 'single (no index)', sample: block(() => timeTick(single)) } })
  .measure({ case: `brief example, tick p99 over 120 ticks, octree vs the simple strategy (no index), 2 threads, ${M}`, unit: 'ms', better: 'lower', samples: 3, ours: { name: 'adaptive octree', sample: p99(octree) }, peer: { name: 'single (no index)', sample: p99(single) } })
  .measure({ case: `brief example, scheduler steals per tick (p99 runs), octree vs the simple strategy (no index), ${M}`, unit: 'steals/tick', better: 'lower', samples: 1, ours: { name: 'adaptive octree', sample: stealsPerTick(octree) }, peer: { name: 'single (no index)', sample: stealsPerTick(single) } })
  .measure({ case: `brief example + spatial index, scheduler steals per tick (p99 runs), octree vs uniform grid, ${M}`, unit: 'steals/tick', better: 'lower', samples: 1, ours: { name: 'adaptive octree', sample: stealsPerTick(octree) }, peer: { name: 'uniform grid (cell 10)', sample: stealsPerTick(grid) } })
  .run();
const o = octree.stats().spatial!;
console.log(`octree: ${o.partitions} partitions, ${o.splits} splits, ${o.merges} merges, ${o.crossings} leaf changes, ${o.partitionJobs} jobs placed by partition, ${o.sorts} spatial sorts (last ${o.sortMs.toFixed(1)} ms); unsorted: ${unsorted.stats().spatial!.partitionJobs} jobs placed by partition; steals ${JSON.stringify(Object.fromEntries([...seen].map(([e, s]) => [e === octree ? 'octree' : e === single ? 'single' : 'grid', s])))}`);
await Promise.all([grid.close(), octree.close(), unsorted.close(), single.close()]);
