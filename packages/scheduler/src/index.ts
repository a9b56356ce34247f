// Explicit named exports only (STYLE.md §1).
export type {
  BatchResult,
  JobFailure,
  NotRunJob,
  Scheduler,
  SchedulerStats,
  WorkerExitInfo,
  WorkerStats,
} from './scheduler.js';
export { createScheduler, type SchedulerOptions } from './createScheduler.js';
export { createPoolScheduler, type PoolSchedulerOptions } from './pool/poolScheduler.js';
export { createInlineScheduler, type InlineSchedulerOptions } from './inlineScheduler.js';
export { createJobBatch, JobBatch, type JobStatus } from './jobBatch.js';
export { defineJobModule, type JobContext, type JobFn, type JobModule, type JobModuleRef, type SetupContext } from './jobModule.js';
export { SchedulerError, isSchedulerError, type SchedulerErrorCode } from './errors.js';
export { createDeque, type DequeHandles } from './deque/createDeque.js';
export { LocalQueue } from './deque/localQueue.js';
export { Stealer, type StealOutcome } from './deque/stealer.js';
export { EMPTY, RETRY, dequeWords } from './deque/layout.js';
export { fastPathRatio } from './pool/readStats.js';
