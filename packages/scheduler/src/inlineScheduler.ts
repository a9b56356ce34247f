/**
 * The single-thread `Scheduler`: runs every job of a batch in the calling thread, in job-id
 * order, with the same job modules, result layout and failure reporting as the pool. Deterministic
 * by construction; the reference the pool is tested against, and the choice for `threads = 1`.
 */
import { SchedulerError } from './errors.js';
import { executeJob, jobFailedError, NO_ERROR, type MutableJobContext } from './execute.js';
import { PENDING, type JobBatch } from './jobBatch.js';
import type { JobModuleRef } from './jobModule.js';
import { createJobRegistry } from './jobRegistry.js';
import type { JobFailure, Scheduler, WorkerStats } from './scheduler.js';

/** Options of `createInlineScheduler`. */
export interface InlineSchedulerOptions {
  /** Job modules to load (in this thread) before the first batch. */
  readonly jobModules?: readonly JobModuleRef[];
  /** How modules are imported (default: dynamic `import()`); lets tests and bundlers hand modules in. */
  readonly importer?: (url: string) => Promise<unknown>;
}

/** Creates the inline scheduler. */
export function createInlineScheduler(options: InlineSchedulerOptions = {}): Scheduler {
  const registry = createJobRegistry(options.importer);
  const ctx: MutableJobContext = { worker: 0, jobId: -1, batch: 0 };
  let closed = false;
  let batches = 0;
  let jobsRun = 0;
  let jobsFailed = 0;
  let busyMs = 0;
  let queue: Promise<unknown> = Promise.resolve();

  function enqueue<T>(op: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new SchedulerError('SCHEDULER_CLOSED', 'the scheduler is closed'));
    const next = queue.then(op, op);
    queue = next.catch(() => undefined);
    return next;
  }

  const loading = (async () => {
    for (const ref of options.jobModules ?? []) await registry.load(ref, { worker: 0 });
  })();
  loading.catch(() => undefined); // surfaced by the first operation, which awaits it
  queue = loading;

  return {
    run: (batch: JobBatch) =>
      enqueue(async () => {
        await loading;
        const started = performance.now();
        const n = batch.length;
        const v = batch.memory;
        v.status.fill(PENDING, 0, n);
        v.ranBy.fill(-1, 0, n);
        v.results.fill(0, 0, n);
        ctx.batch = ++batches;
        const failures: JobFailure[] = [];
        for (let id = 0; id < n; id++) {
          const error = executeJob(v, registry.table, id, ctx);
          if (error !== NO_ERROR) {
            jobsFailed++;
            const kind = v.jobs[id * 6]!;
            failures.push({ jobId: id, kind, worker: 0, error: jobFailedError(id, kind, 0, error) });
          }
        }
        jobsRun += n;
        const elapsedMs = performance.now() - started;
        busyMs += elapsedMs;
        return { batch: ctx.batch, jobs: n, failures, notRun: [], elapsedMs };
      }),
    resize: (threads) =>
      enqueue(async () => {
        if (threads !== 1) {
          throw new SchedulerError('SCHEDULER_INVALID_ARGUMENT', `the inline scheduler has exactly 1 thread; got resize(${threads}) (use createPoolScheduler)`);
        }
      }),
    loadJobModule: (ref) => enqueue(() => registry.load(ref, { worker: 0 })),
    ready: () => enqueue(() => loading),
    stats: () => {
      const worker: WorkerStats = { worker: 0, localPops: jobsRun, steals: 0, stolenJobs: 0, failedSteals: 0, parks: 0, busyMs, jobsRun, jobsFailed };
      return { threads: 1, batches, workers: [worker], fastPathRatio: 1, workerExits: 0 };
    },
    close: () => {
      const done = enqueue(async () => undefined);
      closed = true;
      return done;
    },
  };
}
