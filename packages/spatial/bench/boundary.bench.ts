/**
 * The boundary cost of the two built-in strategies through their ports, as the engine drives them:
 * 1M actors of one kind moving ~1 unit per tick in a 1000-unit world. The octree's per-actor pass
 * (`SpatialThread.afterJob`, which the engine runs in every worker right after each job's handlers;
 * here all of it on this one thread) and its writer's share at the boundary (`rebuild(stores,
 * tick)`: swap and re-bucket the listed actors, split, merge), against the uniform grid's rebuild
 * from every position — the usual way to follow points that all move. Then 10k neighbour queries
 * through each strategy's `NeighbourIndex`.
 */
import { Actor, field, KindStore, type ActorRef } from '@concurrengine/actors';
import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';
import { JobBatch } from '@concurrengine/scheduler';

import { adaptiveOctree, uniformGrid, type CreateSpatialThread, type SpatialStrategy, type SpatialThread } from '../src/index.js';

const SEED = 16;
const N = 1_000_000;
const SIDE = 1000;
const JOBS = 8;
const RADIUS = 10;
const QUERIES = 10_000;

class Mover extends Actor({ position: field.vec3(), velocity: field.vec3() }) {
  handle(): void {}
}

/** The same world for each strategy. */
function world(): KindStore {
  const prng = createPrng(SEED);
  const store = new KindStore(Mover, 0);
  store.spawnMany(N, (m) => {
    m.position.set(prng.next() * SIDE, prng.next() * SIDE, prng.next() * SIDE);
    m.velocity.set(prng.range(-1, 1), prng.range(-1, 1), prng.range(-1, 1));
  });
  return store;
}

/** One tick of movement (bouncing off the walls), page by page as handlers would. */
function move(store: KindStore): void {
  const pageSize = store.layout.pageSize;
  for (let p = 0; p < store.usedPages; p++) {
    const [xyz, v] = store.page(p).columns as Float64Array[];
    const count = Math.min(pageSize, store.highWater - p * pageSize) * 3;
    for (let i = 0; i < count; i++) {
      let x = xyz![i]! + v![i]!;
      if (x < 0 || x >= SIDE) {
        v![i] = -v![i]!;
        x = xyz![i]! + v![i]!;
      }
      xyz![i] = x;
    }
  }
}

async function threadOf(strategy: SpatialStrategy): Promise<SpatialThread> {
  const module = (await import(strategy.thread.url)) as { createSpatialThread: CreateSpatialThread };
  return module.createSpatialThread(strategy.thread.data);
}

/** A strategy over its own world, stepped tick by tick as the engine steps it. */
async function driven(strategy: SpatialStrategy) {
  const store = world();
  const stores = [store];
  const thread = await threadOf(strategy);
  const batch = new JobBatch();
  const pagesPerJob = Math.ceil(store.usedPages / JOBS);
  for (let first = 0; first < store.usedPages; first += pagesPerJob) batch.add(1, 0, first, Math.min(store.usedPages, first + pagesPerJob));
  let tick = 0;
  strategy.writer.rebuild(stores);
  const last = { passMs: 0, writerMs: 0 };
  const step = () => {
    move(store);
    strategy.writer.planIndexPass?.(stores, batch, batch.length);
    let t = performance.now();
    if (thread.afterJob) for (let j = 0; j < batch.length; j++) thread.afterJob(store, 0, batch.arg(j, 1), batch.arg(j, 2), j);
    last.passMs = performance.now() - t;
    t = performance.now();
    strategy.writer.rebuild(stores, ++tick);
    last.writerMs = performance.now() - t;
    return last;
  };
  // Warm-up: the first boundary sorts the actors in space (the octree), then a few plain ticks.
  for (let i = 0; i < 3; i++) step();
  const prng = createPrng(SEED + 1);
  const centres = Array.from({ length: QUERIES }, () => ({ x: prng.next() * SIDE, y: prng.next() * SIDE, z: prng.next() * SIDE }));
  const out: ActorRef[] = [];
  let hits = 0;
  const queries = () => {
    const t = performance.now();
    for (const c of centres) hits += thread.index.query(c, RADIUS, out);
    return performance.now() - t;
  };
  return { step, queries, hits: () => hits, stats: () => strategy.writer.stats() };
}

const octree = await driven(adaptiveOctree({ bounds: { min: [0, 0, 0], max: [SIDE, SIDE, SIDE] } }));
const grid = await driven(uniformGrid({ cellSize: 20 }));
const gridRebuild = { name: 'uniform grid rebuild from every position (cell 20)', sample: () => grid.step().writerMs };

await createBenchSuite({ package: 'spatial', seed: SEED })
  .measure({
    case: 'boundary-1M-main-thread',
    unit: 'ms/tick',
    better: 'lower',
    samples: 20,
    ours: { name: 'adaptive octree: the writer\'s share at the boundary (main thread)', sample: () => octree.step().writerMs },
    peer: gridRebuild,
  })
  .measure({
    case: 'boundary-1M-all-threads',
    unit: 'ms/tick',
    better: 'lower',
    samples: 20,
    ours: {
      name: 'adaptive octree: pass (all jobs, one thread here) + writer',
      sample: () => {
        const { passMs, writerMs } = octree.step();
        return passMs + writerMs;
      },
    },
    peer: gridRebuild,
  })
  .measure({
    case: 'neighbours-1M-10k-queries-r10',
    unit: 'ms',
    better: 'lower',
    samples: 10,
    ours: { name: 'adaptive octree NeighbourIndex.query ×10k (~4 hits each)', sample: octree.queries },
    peer: { name: 'uniform grid NeighbourIndex.query ×10k', sample: grid.queries },
  })
  .run();
// Both strategies stepped the same ticks over the same world: the same answers, or the figures mean nothing.
console.log(`neighbours found: octree ${octree.hits()}, grid ${grid.hits()}${octree.hits() === grid.hits() ? ' (equal)' : ' — DIFFER'}; octree stats ${JSON.stringify(octree.stats())}`);
