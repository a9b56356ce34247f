/**
 * Thread scaling of a CPU-bound batch, 1 → N threads (N = --max, default: os.availableParallelism()).
 * Not part of `pnpm bench` (no peer); run on a many-core machine after a build:
 *   node --import tsx bench/scaling.ts --max 16
 */
import { availableParallelism } from 'node:os';

import { createJobBatch } from '@concurrengine/scheduler';

import { pool } from './common.js';
import { SPIN } from './fixtures/benchJobs.js';

const at = process.argv.indexOf('--max');
const max = at > 0 ? Number(process.argv[at + 1]) : availableParallelism();
const batch = createJobBatch(16_000);
for (let i = 0; i < 16_000; i++) batch.add(SPIN, 4_000, i);
let base = 0;
console.log('| threads | ms/batch (median of 9) | speedup | efficiency | fast path |');
console.log('|---|---|---|---|---|');
for (let n = 1; n <= max; n = n < 4 ? n + 1 : n * 2 > max && n < max ? max : n * 2) {
  const s = pool(n, { capacity: 256 });
  await s.run(batch);
  const times: number[] = [];
  for (let k = 0; k < 9; k++) {
    const t = performance.now();
    await s.run(batch);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const ms = times[4]!;
  if (n === 1) base = ms;
  const fp = s.stats().fastPathRatio;
  console.log(`| ${n} | ${ms.toFixed(2)} | ${(base / ms).toFixed(2)}× | ${((100 * base) / ms / n).toFixed(0)} % | ${(100 * fp).toFixed(2)} % |`);
  await s.close();
}
