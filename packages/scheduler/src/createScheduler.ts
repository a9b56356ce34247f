/**
 * The one factory most callers need: the inline scheduler for one thread, the pool otherwise.
 */
import { createInlineScheduler } from './inlineScheduler.js';
import { createPoolScheduler, type PoolSchedulerOptions } from './pool/poolScheduler.js';
import type { Scheduler } from './scheduler.js';

/** Options of `createScheduler` (those of the pool; the inline scheduler uses `jobModules` only). */
export type SchedulerOptions = PoolSchedulerOptions;

/** `threads: 1` → `createInlineScheduler`, anything else → `createPoolScheduler`. */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  if (options.threads === 1) return createInlineScheduler(options.jobModules ? { jobModules: options.jobModules } : {});
  return createPoolScheduler(options);
}
