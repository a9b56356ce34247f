/**
 * Work distribution on CPU-bound batches (each job ≈ 20 µs of integer work):
 * - fast-path ratio of a balanced batch (goal ≥ 99.7 % of dispatches from the own deque);
 * - speedup from 1 to 2 threads (goal ≥ 1.8×), and 2 threads against a plain single-thread loop;
 * - a skewed batch (every job hinted to worker 0) against a balanced one (goal: within 10 %).
 */
import { createBenchSuite } from '@concurrengine/bench-harness';
import { createJobBatch, type JobBatch, type Scheduler } from '@concurrengine/scheduler';

import { pool, SEED, timeMs } from './common.js';
import { SPIN, spin } from './fixtures/benchJobs.js';

const JOBS = 4_000;
const WORK = 4_000; // LCG steps per job
const THREADS = 2;

function cpuBatch(hint: (i: number) => number): JobBatch {
  const b = createJobBatch(JOBS);
  for (let i = 0; i < JOBS; i++) b.add(SPIN, WORK, i, 0, 0, hint(i));
  return b;
}
const balanced = cpuBatch(() => -1);
const skewed = cpuBatch(() => 0);
const one = pool(1);
const two = pool(THREADS, { capacity: 256 });

let sinkValue = 0;
const batchMs = (s: Scheduler, b: JobBatch) => timeMs(() => s.run(b));

async function fastPathSample(): Promise<number> {
  const before = two.stats().workers;
  await two.run(balanced);
  const after = two.stats().workers;
  let local = 0;
  let steals = 0;
  after.forEach((w, i) => {
    local += w.localPops - before[i]!.localPops;
    steals += w.steals - before[i]!.steals;
  });
  return (100 * local) / (local + steals);
}

await createBenchSuite({ package: 'scheduler', seed: SEED })
  .measure({
    case: 'fast-path-ratio-balanced',
    unit: '%',
    better: 'higher',
    samples: 15,
    ours: { name: `pool ${THREADS} threads, ${JOBS} jobs`, sample: fastPathSample },
    limit: 99.7,
  })
  .measure({
    case: 'cpu-bound-2-threads-vs-single-loop',
    unit: 'ms/batch',
    better: 'lower',
    samples: 10,
    ours: { name: `pool ${THREADS} threads`, sample: () => batchMs(two, balanced) },
    peer: {
      name: 'plain single-thread loop',
      sample: () => {
        const t = performance.now();
        for (let i = 0; i < JOBS; i++) sinkValue ^= spin(WORK, i);
        return performance.now() - t;
      },
    },
  })
  .measure({
    case: 'cpu-bound-speedup-1-to-2-threads',
    unit: 'ms/batch',
    better: 'lower',
    samples: 10,
    ours: { name: `pool ${THREADS} threads`, sample: () => batchMs(two, balanced) },
    peer: { name: 'pool 1 thread', sample: () => batchMs(one, balanced) },
  })
  .measure({
    case: 'skewed-vs-balanced',
    unit: 'ms/batch',
    better: 'lower',
    samples: 10,
    ours: { name: 'skewed: all jobs hinted to worker 0', sample: () => batchMs(two, skewed) },
    peer: { name: 'balanced batch', sample: () => batchMs(two, balanced) },
  })
  .run();
console.log(`check ${sinkValue}`);
await Promise.all([one.close(), two.close()]);
