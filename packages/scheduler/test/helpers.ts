/** Shared test helpers: seeds, fixture URLs, shared buffers. */
import { createInlineScheduler, createPoolScheduler, type PoolSchedulerOptions, type Scheduler } from '../src/index.js';
import type { TestJobData } from './fixtures/testJobs.js';

/** The fast-check seed: FC_SEED from the environment or a fresh one, printed so a failure can be replayed. */
export function fcSeed(label: string): number {
  const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : (Date.now() ^ (Math.random() * 2 ** 31)) | 0;
  console.log(`fast-check seed for "${label}": ${seed} (replay with FC_SEED=${seed})`);
  return seed;
}

export const testJobsUrl = new URL('./fixtures/testJobs.ts', import.meta.url);

/** Fresh buffers for the test job module: per-job run counts and a barrier word. */
export function testData(maxJobs: number): TestJobData & { countsView: Int32Array; barrierView: Int32Array } {
  const counts = new SharedArrayBuffer(maxJobs * 4);
  const barrier = new SharedArrayBuffer(4);
  return { counts, barrier, countsView: new Int32Array(counts), barrierView: new Int32Array(barrier) };
}

/** A pool over the test job module. */
export function testPool(data: TestJobData, options: PoolSchedulerOptions = {}): Scheduler {
  return createPoolScheduler({ threads: 2, ...options, jobModules: [{ url: testJobsUrl, data: { counts: data.counts, barrier: data.barrier } }] });
}

/** An inline scheduler over the test job module. */
export function testInline(data: TestJobData): Scheduler {
  return createInlineScheduler({ jobModules: [{ url: testJobsUrl, data: { counts: data.counts, barrier: data.barrier } }] });
}
