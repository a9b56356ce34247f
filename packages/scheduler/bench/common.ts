/** Shared bits of the scheduler benchmarks (not a bench file itself). */
import { createInlineScheduler, createPoolScheduler, type PoolSchedulerOptions, type Scheduler } from '@concurrengine/scheduler';

export const SEED = 20_250_101;
export const benchJobsUrl = new URL('./fixtures/benchJobs.ts', import.meta.url);
export const addTaskUrl = new URL('./fixtures/add.mjs', import.meta.url);

export function pool(threads: number, options: PoolSchedulerOptions = {}): Scheduler {
  return createPoolScheduler({ threads, ...options, jobModules: [{ url: benchJobsUrl }] });
}

export function inline(): Scheduler {
  return createInlineScheduler({ jobModules: [{ url: benchJobsUrl }] });
}

/** Milliseconds taken by `work`. */
export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}
