/** Building an index of 1M points from scratch: the octree against d3-octree, same points. */
import { createBenchSuite } from '@concurrengine/bench-harness';
import { createOctree } from '@concurrengine/octree';
import { octree } from 'd3-octree';

import { BOUNDS, N, randomPoints, SEED, SPLIT_ABOVE } from './common.js';

const positions = randomPoints();
const points: Array<[number, number, number]> = [];
for (let i = 0; i < N; i++) points.push([positions[i * 3]!, positions[i * 3 + 1]!, positions[i * 3 + 2]!]);

let check = 0;
await createBenchSuite({ package: 'octree', seed: SEED })
  .measure({
    case: 'build-1M',
    unit: 'ms',
    better: 'lower',
    samples: 6,
    ours: {
      name: 'createOctree + insertMany + rebalance',
      sample: () => {
        const t = performance.now();
        const tree = createOctree({ capacity: N, bounds: BOUNDS, splitAbove: SPLIT_ABOVE });
        tree.insertMany(positions, N);
        tree.rebalance();
        const ms = performance.now() - t;
        check += tree.partitionCount;
        return ms;
      },
    },
    peer: {
      name: 'd3-octree 1.1.0',
      sample: () => {
        const t = performance.now();
        const tree = octree(points, (p) => p[0], (p) => p[1], (p) => p[2]);
        const ms = performance.now() - t;
        check += tree.size();
        return ms;
      },
    },
  })
  .run();
console.log(`check ${check}`);
