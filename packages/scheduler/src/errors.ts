/**
 * The scheduler's one error class and its codes (STYLE.md §4). Broken contracts throw a
 * `SchedulerError`; a job that throws is not a broken contract and comes back in the batch result.
 */

/** Every code a `SchedulerError` can carry; the README lists what each means. */
export type SchedulerErrorCode =
  | 'SCHEDULER_CLOSED'
  | 'SCHEDULER_INVALID_ARGUMENT'
  | 'SCHEDULER_JOB_MODULE'
  | 'SCHEDULER_DUPLICATE_KIND'
  | 'SCHEDULER_UNKNOWN_KIND'
  | 'SCHEDULER_JOB_FAILED'
  | 'SCHEDULER_WORKER_START';

/** An error raised by a scheduler; `code` says which contract was broken. */
export class SchedulerError extends Error {
  override readonly name = 'SchedulerError';
  constructor(
    readonly code: SchedulerErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Narrows an unknown value to a `SchedulerError` (optionally of one code). */
export function isSchedulerError(value: unknown, code?: SchedulerErrorCode): value is SchedulerError {
  return value instanceof SchedulerError && (code === undefined || value.code === code);
}
