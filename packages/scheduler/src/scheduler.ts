/**
 * The narrow interface every scheduler implements, and the shapes it returns. The engine accepts a
 * `Scheduler`, never a concrete class: pass your own implementation to swap the default out.
 */
import type { JobBatch } from './jobBatch.js';
import type { JobModuleRef } from './jobModule.js';

/** A job that threw. The batch still completed; nothing about the failure was swallowed. */
export interface JobFailure {
  readonly jobId: number;
  readonly kind: number;
  /** Worker that ran it (0 for the inline scheduler). */
  readonly worker: number;
  /** A `SchedulerError` with code `SCHEDULER_JOB_FAILED` whose `cause` is what the job threw. */
  readonly error: Error;
}

/** A job that did not run because the worker holding it died. */
export interface NotRunJob {
  readonly jobId: number;
  readonly kind: number;
  /** The worker that died holding it, or -1 when two or more died in the batch and it is unknown which. */
  readonly worker: number;
}

/** What `run` resolves with. Per-job results and statuses are on the batch itself. */
export interface BatchResult {
  /** Generation of this batch (1, 2, …) in this scheduler. */
  readonly batch: number;
  /** Jobs in the batch. */
  readonly jobs: number;
  /** Jobs that threw, in job-id order. */
  readonly failures: readonly JobFailure[];
  /** Jobs lost to a dying worker, in job-id order; each is reported here exactly once, never run twice. */
  readonly notRun: readonly NotRunJob[];
  /** Wall time from `run` being called to the barrier releasing, in milliseconds. */
  readonly elapsedMs: number;
}

/** Counters of one worker, read from shared memory. All are cumulative since the worker started. */
export interface WorkerStats {
  readonly worker: number;
  /** Jobs taken from the worker's own deque or injector range (the zero-contention fast path). */
  readonly localPops: number;
  /** Successful steal operations (from a peer's deque or injector). */
  readonly steals: number;
  /** Jobs moved to this worker by its steals (the first is run at once, the rest popped locally later). */
  readonly stolenJobs: number;
  /** Steal attempts that lost a compare-and-exchange race (contention). */
  readonly failedSteals: number;
  /** Times the worker parked with `Atomics.wait`. */
  readonly parks: number;
  /** Time spent between finding work and running out of it, in milliseconds. */
  readonly busyMs: number;
  /** Jobs run (including failed ones). */
  readonly jobsRun: number;
  readonly jobsFailed: number;
}

/** A snapshot of the scheduler's counters. */
export interface SchedulerStats {
  readonly threads: number;
  readonly batches: number;
  readonly workers: readonly WorkerStats[];
  /** localPops ÷ (localPops + steals) over all workers: dispatches served without contention; 1 when nothing ran yet. */
  readonly fastPathRatio: number;
  /** Workers that died and were replaced. */
  readonly workerExits: number;
}

/** What the `onWorkerExit` hook receives. */
export interface WorkerExitInfo {
  readonly worker: number;
  readonly exitCode: number;
  /** The uncaught error, when the worker died of one. */
  readonly error?: Error;
  /** Generation of the batch it died in, or 0 when it died between batches. */
  readonly batch: number;
  /** Jobs of that batch it left unfinished; they are also in that batch's `notRun`. */
  readonly notRun: readonly NotRunJob[];
}

/**
 * Runs batches of jobs. Call it from one thread (the one that created it); operations are queued
 * and run one at a time in call order, so `resize` and `loadJobModule` land between batches.
 */
export interface Scheduler {
  /** Runs every job of `batch` exactly once (or reports it in `notRun`) and resolves when all are settled. */
  run(batch: JobBatch): Promise<BatchResult>;
  /** Changes the number of threads, between batches. */
  resize(threads: number): Promise<void>;
  /** Loads a job module into every thread (and into threads started later). */
  loadJobModule(ref: JobModuleRef): Promise<void>;
  /**
   * Optional: resolves once every thread has started and loaded the job modules it was created
   * with (rejects as `run` would if one could not). `run` waits for this anyway; a caller that
   * times its batches (a tick loop) awaits it first, so that start-up is not counted as a batch.
   */
  ready?(): Promise<void>;
  /** Counters, read from shared memory without messaging any worker. */
  stats(): SchedulerStats;
  /** Finishes queued work, stops the threads; afterwards every call rejects with `SCHEDULER_CLOSED`. */
  close(): Promise<void>;
}
