/**
 * 1M points moving every tick (each by a random velocity, bouncing off the walls): the octree's
 * incremental `update` + `rebalance` per tick (goal ≤ 5 ms), against rebuilding the uniform grid
 * from scratch each tick (the peer's only way to follow moving points).
 */
import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';
import { createOctree } from '@concurrengine/octree';

import { BOUNDS, N, randomPoints, SEED, SIDE, SPLIT_ABOVE, UniformGrid } from './common.js';

const positions = randomPoints();
const prng = createPrng(SEED + 2);
// ~1 unit per tick in a 1000-unit world with leaves ~60 units wide: ~1-3 % change leaf per tick.
const velocity = Float64Array.from({ length: N * 3 }, () => prng.range(-1, 1));
const tree = createOctree({ capacity: N, bounds: BOUNDS, splitAbove: SPLIT_ABOVE });
tree.insertMany(positions, N);
tree.rebalance();
const grid = new UniformGrid(20, N);

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

let moved = 0;
let events = 0;
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
        const t = performance.now();
        moved += tree.update(positions);
        events += tree.rebalance().length;
        return performance.now() - t;
      },
    },
    peer: {
      name: 'uniform grid rebuild (cell 20)',
      sample: () => {
        const t = performance.now();
        grid.build(positions, N);
        return performance.now() - t;
      },
    },
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
        const t = performance.now();
        moved += tree.update(positions);
        events += tree.rebalance().length;
        return performance.now() - t;
      },
    },
    limit: 5,
  })
  .run();
console.log(`points changing leaf per tick: ${(moved / 42).toFixed(0)}; split/merge events per tick: ${(events / 42).toFixed(1)}; partitions ${tree.partitionCount}`);
