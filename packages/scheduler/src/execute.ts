/**
 * Runs one job of a batch in the current thread: shared by the workers and the inline scheduler so
 * both settle jobs the same way.
 */
import { SchedulerError } from './errors.js';
import { DONE, FAILED, JOB_STRIDE, type BatchViews } from './jobBatch.js';
import type { JobContext, JobFn } from './jobModule.js';

/** The reusable per-thread job context (fields updated before each job). */
export interface MutableJobContext extends JobContext {
  worker: number;
  jobId: number;
  batch: number;
}

/** Returned by `executeJob` when the job did not throw. */
export const NO_ERROR: unique symbol = Symbol('no error');

/**
 * Runs job `id`, writes its result, status and runner, and returns `NO_ERROR` or what it threw.
 * Plain (non-atomic) writes: the batch barrier (an Atomics operation after them) publishes them.
 */
export function executeJob(
  v: BatchViews,
  table: ReadonlyArray<JobFn | undefined>,
  id: number,
  ctx: MutableJobContext,
): unknown {
  const j = v.jobs;
  const at = id * JOB_STRIDE;
  const kind = j[at]!;
  const fn = table[kind];
  ctx.jobId = id;
  v.ranBy[id] = ctx.worker;
  if (fn === undefined) {
    v.results[id] = 0;
    v.status[id] = FAILED;
    return new SchedulerError('SCHEDULER_UNKNOWN_KIND', `job ${id} has kind ${kind}, which no loaded job module registers`);
  }
  try {
    const r = fn(j[at + 2]!, j[at + 3]!, j[at + 4]!, j[at + 5]!, ctx);
    v.results[id] = typeof r === 'number' ? r : 0;
    v.status[id] = DONE;
    return NO_ERROR;
  } catch (error) {
    v.results[id] = 0;
    v.status[id] = FAILED;
    return error;
  }
}

/** A thrown value flattened so it survives a message port (custom classes do not). */
export interface ThrownRecord {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
}

/** Flattens any thrown value. */
export function toThrownRecord(error: unknown): ThrownRecord {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(error.stack !== undefined ? { stack: error.stack } : {}),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { name: 'NonError', message: String(error) };
}

/** Rebuilds a thrown value on the receiving side as an `Error` (its `name`, `code`, `stack` kept). */
export function fromThrownRecord(record: ThrownRecord): Error {
  const error = new Error(record.message);
  error.name = record.name;
  if (record.stack !== undefined) error.stack = record.stack;
  if (record.code !== undefined) Object.assign(error, { code: record.code });
  return error;
}

/** The `JobFailure.error` for a job that threw `cause`. */
export function jobFailedError(jobId: number, kind: number, worker: number, cause: unknown): SchedulerError {
  const what = cause instanceof Error ? cause.message : String(cause);
  return new SchedulerError('SCHEDULER_JOB_FAILED', `job ${jobId} (kind ${kind}) threw on worker ${worker}: ${what}`, { cause });
}
