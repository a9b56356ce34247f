/**
 * Tiny jobs (add two numbers): jobs/s of the pool, fed one batch per tick as the engine does,
 * against piscina and tinypool running the same work through their normal per-task `run()` API
 * (2 workers each, 20 k tasks in flight). Goal: ≥ 1,000× piscina.
 */
import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';
import { createJobBatch } from '@concurrengine/scheduler';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';

import { addTaskUrl, pool, SEED } from './common.js';
import { ADD } from './fixtures/benchJobs.js';

const THREADS = 2;
const BATCH = 200_000;
const PEER_TASKS = 20_000;
const prng = createPrng(SEED);
const a = Int32Array.from({ length: BATCH }, () => prng.int(1 << 20));
const b = Int32Array.from({ length: BATCH }, () => prng.int(1 << 20));

const ours = pool(THREADS, { capacity: 1024 });
const batch = createJobBatch(BATCH);
for (let i = 0; i < BATCH; i++) batch.add(ADD, a[i]!, b[i]!);
const piscina = new Piscina({ filename: addTaskUrl.href, minThreads: THREADS, maxThreads: THREADS });
const tinypool = new Tinypool({ filename: addTaskUrl.href, minThreads: THREADS, maxThreads: THREADS });

let check = 0;
async function oursSample(): Promise<number> {
  const t = performance.now();
  for (let k = 0; k < 5; k++) await ours.run(batch);
  const ms = performance.now() - t;
  check += batch.result(BATCH - 1);
  return (5 * BATCH) / (ms / 1000);
}
async function peerSample(run: (task: { a: number; b: number }) => Promise<number>): Promise<number> {
  const t = performance.now();
  const all: Array<Promise<number>> = [];
  for (let i = 0; i < PEER_TASKS; i++) all.push(run({ a: a[i]!, b: b[i]! }));
  const out = await Promise.all(all);
  const ms = performance.now() - t;
  check += out[PEER_TASKS - 1]!;
  return PEER_TASKS / (ms / 1000);
}

await createBenchSuite({ package: 'scheduler', seed: SEED })
  .measure({
    case: 'tiny-jobs',
    unit: 'jobs/s',
    better: 'higher',
    samples: 10,
    ours: { name: `pool ${THREADS} threads, batches of ${BATCH}`, sample: oursSample },
    peer: { name: 'piscina', sample: () => peerSample((t) => piscina.run(t) as Promise<number>) },
  })
  .measure({
    case: 'tiny-jobs-vs-tinypool',
    unit: 'jobs/s',
    better: 'higher',
    samples: 10,
    ours: { name: `pool ${THREADS} threads, batches of ${BATCH}`, sample: oursSample },
    peer: { name: 'tinypool', sample: () => peerSample((t) => tinypool.run(t) as Promise<number>) },
  })
  .run();
console.log(`check ${check}`);
await Promise.all([ours.close(), piscina.close(), tinypool.destroy()]);
