/**
 * A batch of jobs in flat typed arrays over one SharedArrayBuffer, so that workers read jobs and
 * write results with no copy and no message. Build it on the calling thread, hand it to
 * `Scheduler.run`, read results after `run` resolves; reuse it for the next tick with `clear()`.
 *
 * Layout (capacity c, a power of two ≥ 16; all regions 8-byte aligned):
 * ```
 * results  Float64[c]    written by the thread that ran the job
 * jobs     Int32[c * 6]  kind, hint, a, b, c, d — written by the caller before run
 * order    Int32[c]      job ids grouped by worker — written by the pool before waking workers
 * status   Int32[c]      PENDING → DONE | FAILED (by the worker) or NOT_RUN (by the main thread)
 * ranBy    Int32[c]      worker index that ran the job
 * ```
 * Thread rule: between `run()` and its resolution only the scheduler touches the batch.
 */
import { SchedulerError } from './errors.js';
import { MAX_KIND } from './jobRegistry.js';

/** Int32 words per job in the `jobs` region. */
export const JOB_STRIDE = 6;
/** Status codes stored in the `status` region. */
export const PENDING = 0;
export const DONE = 1;
export const FAILED = 2;
export const NOT_RUN = 3;

/** A job's outcome after `run` resolved. */
export type JobStatus = 'pending' | 'done' | 'failed' | 'not-run';
const STATUS_NAMES: readonly JobStatus[] = ['pending', 'done', 'failed', 'not-run'];

/** The typed-array views of one batch buffer; rebuilt in each thread with `batchViews`. */
export interface BatchViews {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  readonly results: Float64Array;
  readonly jobs: Int32Array;
  readonly order: Int32Array;
  readonly status: Int32Array;
  readonly ranBy: Int32Array;
}

/** Views over a batch buffer of `capacity` jobs (from(buffer) in kdbush terms). */
export function batchViews(buffer: SharedArrayBuffer, capacity: number): BatchViews {
  let at = 0;
  const results = new Float64Array(buffer, at, capacity);
  at += capacity * 8;
  const jobs = new Int32Array(buffer, at, capacity * JOB_STRIDE);
  at += capacity * JOB_STRIDE * 4;
  const order = new Int32Array(buffer, at, capacity);
  at += capacity * 4;
  const status = new Int32Array(buffer, at, capacity);
  at += capacity * 4;
  const ranBy = new Int32Array(buffer, at, capacity);
  return { buffer, capacity, results, jobs, order, status, ranBy };
}

function allocate(capacity: number): BatchViews {
  return batchViews(new SharedArrayBuffer(capacity * (8 + 4 * (JOB_STRIDE + 3))), capacity);
}

/** A growable batch of jobs. Not thread-safe: one thread builds it. */
export class JobBatch {
  private views: BatchViews;
  private count = 0;
  /** True when some job in the batch has a worker hint. */
  private hinted = false;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.views = allocate(capacity);
  }

  /** Number of jobs added since the last `clear`. */
  get length(): number {
    return this.count;
  }

  /** True when at least one job carries a worker hint. */
  get hasHints(): boolean {
    return this.hinted;
  }

  /** Current views (internal to schedulers; replaced when the batch grows). */
  get memory(): BatchViews {
    return this.views;
  }

  /**
   * Adds a job and returns its id (0, 1, 2… in insertion order). Arguments are truncated to int32.
   * `hint` is the worker that should preferably run it (taken modulo the thread count), -1 for none.
   */
  add(kind: number, a = 0, b = 0, c = 0, d = 0, hint = -1): number {
    if (!(kind >= 0 && kind <= MAX_KIND && (kind | 0) === kind)) {
      throw new SchedulerError('SCHEDULER_INVALID_ARGUMENT', `job kind must be an integer in [0, ${MAX_KIND}]; got ${kind}`);
    }
    const id = this.count;
    if (id === this.views.capacity) this.grow();
    const j = this.views.jobs;
    const at = id * JOB_STRIDE;
    j[at] = kind;
    j[at + 1] = hint;
    j[at + 2] = a;
    j[at + 3] = b;
    j[at + 4] = c;
    j[at + 5] = d;
    if (hint >= 0) this.hinted = true;
    this.count = id + 1;
    return id;
  }

  /** Forgets every job (keeps the memory). */
  clear(): void {
    this.count = 0;
    this.hinted = false;
  }

  kind(id: number): number {
    return this.views.jobs[this.check(id) * JOB_STRIDE]!;
  }
  hint(id: number): number {
    return this.views.jobs[this.check(id) * JOB_STRIDE + 1]!;
  }
  /** Argument `i` (0–3) of job `id`. */
  arg(id: number, i: 0 | 1 | 2 | 3): number {
    return this.views.jobs[this.check(id) * JOB_STRIDE + 2 + i]!;
  }
  /** The number the job returned in the last run (0 if it returned nothing or did not run). */
  result(id: number): number {
    return this.views.results[this.check(id)]!;
  }
  /** Outcome of the job in the last run. */
  status(id: number): JobStatus {
    return STATUS_NAMES[this.views.status[this.check(id)]!] ?? 'pending';
  }
  /** Worker that ran the job in the last run (feed it back as the next tick's hint), or -1. */
  ranBy(id: number): number {
    return this.views.ranBy[this.check(id)]!;
  }

  private check(id: number): number {
    if (!(id >= 0 && id < this.count)) {
      throw new SchedulerError('SCHEDULER_INVALID_ARGUMENT', `job id ${id} is outside the batch [0, ${this.count})`);
    }
    return id;
  }

  private grow(): void {
    const old = this.views;
    const next = allocate(old.capacity * 2);
    next.jobs.set(old.jobs);
    this.views = next;
  }
}

/** Creates an empty batch with room for `initialCapacity` jobs before it grows. */
export function createJobBatch(initialCapacity = 1024): JobBatch {
  return new JobBatch(initialCapacity);
}
