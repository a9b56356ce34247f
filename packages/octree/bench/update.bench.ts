/**
 * 1M points moving every tick (each by a random velocity, bouncing off the walls): the octree's
 * incremental `update` + `rebalance` per tick (goal ≤ 5 ms), against rebuilding the uniform grid
 * from scratch each tick (the peer's only way to follow moving points). First with ids in random
 * order (as spawned), then — on the same tree — with ids kept in spatial order the way the engine
 * will: at the start and every K ticks, `mortonOrder` of the positions, the bench's own positions
 * and velocities permuted into that order, and `tree.renumber`. Then the cost of those two calls.
 */
import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';
import { createOctree, mortonOrder, mortonScratchLength, OctreeRangePass } from '@concurrengine/octree';

import { BOUNDS, N, randomPoints, SEED, SIDE, SPLIT_ABOVE, UniformGrid } from './common.js';

const positions = randomPoints();
const prng = createPrng(SEED + 2);
// ~1 unit per tick in a 1000-unit world with leaves ~60 units wide: ~1-3 % change leaf per tick.
const velocity = Float64Array.from({ length: N * 3 }, () => prng.range(-1, 1));
const tree = createOctree({ capacity: N, bounds: BOUNDS, splitAbove: SPLIT_ABOVE });
tree.insertMany(positions, N);
tree.rebalance();
const grid = new UniformGrid(20, N);

/** The peer: rebuilding the uniform grid from every position (its only way to follow moving points). */
const gridRebuild = (name: string) => ({
  name,
  sample: () => {
    const t = performance.now();
    grid.build(positions, N);
    return performance.now() - t;
  },
});

function step(): void {
  for (let i = 0; i < N * 3; i++) {
    let p = positions[i]! + velocity[i]!;
    if (p < 0 || p > SIDE) {
      velocity[i] = -velocity[i]!;
      p = positions[i]! + velocity[i]!;
    }
    positions[i] = p;
  }
}

// Spatial order: ids renumbered by Morton key every K ticks (what the engine will do).
const K = 64;
const allIds = Int32Array.from({ length: N }, (_, i) => i);
const order = new Int32Array(N);
const orderScratch = new Int32Array(mortonScratchLength(N));
const newIdOf = new Int32Array(N);
const spare = new Float64Array(N * 3);
let sortedTicks = 0;
let resortMs = 0;
let resorts = 0;

/** mortonOrder, permute positions and velocities into it, renumber the tree; returns ms. */
function resort(): number {
  const t = performance.now();
  mortonOrder(positions, allIds, N, BOUNDS, order, orderScratch);
  for (let r = 0; r < N; r++) newIdOf[order[r]!] = r;
  for (const column of [positions, velocity]) {
    for (let r = 0; r < N; r++) {
      const from = order[r]! * 3;
      spare[r * 3] = column[from]!;
      spare[r * 3 + 1] = column[from + 1]!;
      spare[r * 3 + 2] = column[from + 2]!;
    }
    column.set(spare);
  }
  tree.renumber(newIdOf);
  const ms = performance.now() - t;
  resortMs += ms;
  resorts++;
  return ms;
}

/** One tick with ids in spatial order: re-sort every K ticks (not timed here), move, update. */
function sortedTick(): number {
  if (sortedTicks++ % K === 0) resort();
  step();
  const t = performance.now();
  moved += tree.update(positions);
  events += tree.rebalance().length;
  return performance.now() - t;
}

let moved = 0;
let events = 0;
let ticks = 0;

// The split update (what the engine runs): a pass over every id — here in one thread, in the
// engine one range per job on every worker — then the writer's updateListed of the listed ids.
const rangePass = new OctreeRangePass(tree.buffer);
const listed = new Int32Array(N);
const plainTick = () => {
  step();
  const t = performance.now();
  moved += tree.update(positions);
  events += tree.rebalance().length;
  return performance.now() - t;
};
/** One split tick; returns the writer's share (updateListed + rebalance) or, with `passOnly`, the pass's ms. */
const splitTick = (passOnly: boolean) => () => {
  step();
  let t = performance.now();
  const count = rangePass.pass(positions, 0, N, listed, 0);
  const passMs = performance.now() - t;
  t = performance.now();
  moved += tree.updateListed(positions, listed, count);
  events += tree.rebalance().length;
  return passOnly ? passMs : performance.now() - t;
};
await createBenchSuite({ package: 'octree', seed: SEED })
  .measure({
    case: 'update-1M-moving-per-tick',
    unit: 'ms/tick',
    better: 'lower',
    samples: 20,
    ours: {
      name: 'octree update + rebalance',
      sample: () => {
        step();
        ticks++;
        const t = performance.now();
        moved += tree.update(positions);
        events += tree.rebalance().length;
        return performance.now() - t;
      },
    },
    peer: gridRebuild('uniform grid rebuild (cell 20)'),
  })
  .measure({
    case: 'update-1M-moving-limit',
    unit: 'ms/tick',
    better: 'lower',
    samples: 20,
    ours: {
      name: 'octree update + rebalance',
      sample: () => {
        step();
        ticks++;
        const t = performance.now();
        moved += tree.update(positions);
        events += tree.rebalance().length;
        return performance.now() - t;
      },
    },
    limit: 5,
  })
  .measure({
    // 2 × K ticks (1 warm-up + 127 samples): re-sorts at ticks 0, 64 and 128, so the samples span
    // ids fresh from a sort and ids K ticks of movement later.
    case: 'update-1M-moving-sorted-ids',
    unit: 'ms/tick',
    better: 'lower',
    samples: 2 * K - 1,
    ours: { name: `octree update + rebalance, ids in Morton order (re-sorted every ${K} ticks)`, sample: sortedTick },
    peer: gridRebuild('uniform grid rebuild (cell 20)'),
  })
  .measure({
    case: 'update-1M-moving-sorted-ids-limit',
    unit: 'ms/tick',
    better: 'lower',
    samples: 2 * K - 1,
    ours: { name: `octree update + rebalance, ids in Morton order (re-sorted every ${K} ticks)`, sample: sortedTick },
    limit: 5,
  })
  .measure({
    case: 'split-update-1M-writer-share',
    unit: 'ms/tick',
    better: 'lower',
    samples: 20,
    ours: { name: 'updateListed + rebalance after a pass (the writer thread\'s share)', sample: splitTick(false) },
    peer: { name: 'update + rebalance (all on the writer thread)', sample: plainTick },
  })
  .measure({
    case: 'split-update-1M-pass-one-thread',
    unit: 'ms/tick',
    better: 'lower',
    samples: 20,
    ours: { name: 'OctreeRangePass.pass over every id, one thread (split over the workers in the engine)', sample: splitTick(true) },
    peer: { name: 'update + rebalance', sample: plainTick },
  })
  .measure({
    // As the engine calls it: positions K ticks of movement after the last sort.
    case: 'mortonOrder-1M',
    unit: 'ms',
    better: 'lower',
    samples: 10,
    ours: {
      name: 'mortonOrder of 1M ids (nearly sorted input)',
      sample: () => {
        for (let i = 0; i < K; i++) step();
        const t = performance.now();
        mortonOrder(positions, allIds, N, BOUNDS, order, orderScratch);
        return performance.now() - t;
      },
    },
    peer: gridRebuild('uniform grid rebuild (counting sort into 50³ cells)'),
  })
  .measure({
    case: 'renumber-1M',
    unit: 'ms',
    better: 'lower',
    samples: 10,
    ours: {
      name: 'tree.renumber of 1M ids (into Morton order)',
      sample: () => {
        mortonOrder(positions, allIds, N, BOUNDS, order, orderScratch);
        for (let r = 0; r < N; r++) newIdOf[order[r]!] = r;
        const t = performance.now();
        tree.renumber(newIdOf);
        const ms = performance.now() - t;
        for (let r = 0; r < N; r++) newIdOf[r] = order[r]!; // and back, so positions stay by id
        tree.renumber(newIdOf);
        return ms;
      },
    },
    peer: {
      name: 'rebuilding the tree (createOctree + insertMany + rebalance)',
      sample: () => {
        const t = performance.now();
        const fresh = createOctree({ capacity: N, bounds: BOUNDS, splitAbove: SPLIT_ABOVE });
        fresh.insertMany(positions, N);
        fresh.rebalance();
        return performance.now() - t;
      },
    },
  })
  .run();
const random = ticks;
const sorted = sortedTicks;
console.log(
  `points changing leaf per tick: ${(moved / (random + sorted)).toFixed(0)}; split/merge events per tick: ${(events / (random + sorted)).toFixed(1)}; partitions ${tree.partitionCount}; ` +
    `re-sort (mortonOrder + permuting positions and velocities + renumber): ${(resortMs / resorts).toFixed(1)} ms, ${(resortMs / resorts / K).toFixed(2)} ms/tick amortised over ${K} ticks`,
);
