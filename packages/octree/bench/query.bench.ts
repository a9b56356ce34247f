/**
 * 10k box queries of ~100 hits over 1M points: the octree against the uniform grid (points copied
 * into cell order) and against rbush-3d, on the same points and boxes.
 */
import { createBenchSuite } from '@concurrengine/bench-harness';
import { createOctree } from '@concurrengine/octree';
import { RBush3D, type BBox } from 'rbush-3d';

import { BOUNDS, N, queryBoxes, randomPoints, SEED, SPLIT_ABOVE, UniformGrid } from './common.js';

const QUERIES = 10_000;
const positions = randomPoints();
const boxes = queryBoxes(QUERIES, 100);
const tree = createOctree({ capacity: N, bounds: BOUNDS, splitAbove: SPLIT_ABOVE });
tree.insertMany(positions, N);
tree.rebalance();
const grid = new UniformGrid(20, N);
grid.build(positions, N);
const items: BBox[] = [];
for (let i = 0; i < N; i++) {
  const x = positions[i * 3]!, y = positions[i * 3 + 1]!, z = positions[i * 3 + 2]!;
  items.push({ minX: x, minY: y, minZ: z, maxX: x, maxY: y, maxZ: z });
}
const rbush = new RBush3D().load(items);
const out = new Int32Array(4096);

let q = 0;
const next = (): number => {
  const at = q * 6;
  q = (q + 1) % QUERIES;
  return at;
};
const ours = (ops: number): number => {
  let hits = 0;
  for (let i = 0; i < ops; i++) {
    const b = next();
    hits += tree.queryBoxInto(boxes[b]!, boxes[b + 1]!, boxes[b + 2]!, boxes[b + 3]!, boxes[b + 4]!, boxes[b + 5]!, out);
  }
  return hits;
};

// Same answers before timing anything.
let total = 0;
for (let i = 0; i < 200; i++) {
  const b = i * 6;
  const n = tree.queryBoxInto(boxes[b]!, boxes[b + 1]!, boxes[b + 2]!, boxes[b + 3]!, boxes[b + 4]!, boxes[b + 5]!, out);
  const m = grid.queryBoxInto(boxes[b]!, boxes[b + 1]!, boxes[b + 2]!, boxes[b + 3]!, boxes[b + 4]!, boxes[b + 5]!, out);
  const r = rbush.search({ minX: boxes[b]!, minY: boxes[b + 1]!, minZ: boxes[b + 2]!, maxX: boxes[b + 3]!, maxY: boxes[b + 4]!, maxZ: boxes[b + 5]! }).length;
  if (n !== m || n !== r) throw new Error(`query ${i}: octree ${n}, grid ${m}, rbush-3d ${r}`);
  total += n;
}
console.log(`average hits per query: ${(total / 200).toFixed(1)}`);

await createBenchSuite({ package: 'octree', seed: SEED })
  .compare({
    case: 'box-query-100-hits-vs-grid',
    unit: 'ops/s',
    ours: { name: 'octree queryBoxInto', run: ours },
    peer: {
      name: 'uniform grid (cell 20, points in cell order)',
      run: (ops) => {
        let hits = 0;
        for (let i = 0; i < ops; i++) {
          const b = next();
          hits += grid.queryBoxInto(boxes[b]!, boxes[b + 1]!, boxes[b + 2]!, boxes[b + 3]!, boxes[b + 4]!, boxes[b + 5]!, out);
        }
        return hits;
      },
    },
    maxOps: QUERIES,
  })
  .compare({
    case: 'box-query-100-hits-vs-rbush-3d',
    unit: 'ops/s',
    samples: 8,
    ours: { name: 'octree queryBoxInto', run: ours },
    peer: {
      name: 'rbush-3d 0.1.2 search',
      run: (ops) => {
        let hits = 0;
        for (let i = 0; i < ops; i++) {
          const b = next();
          hits += rbush.search({ minX: boxes[b]!, minY: boxes[b + 1]!, minZ: boxes[b + 2]!, maxX: boxes[b + 3]!, maxY: boxes[b + 4]!, maxZ: boxes[b + 5]! }).length;
        }
        return hits;
      },
    },
    maxOps: QUERIES,
  })
  .run();
