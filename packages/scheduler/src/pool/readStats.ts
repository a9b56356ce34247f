/**
 * Reads the per-worker counters from shared memory: callable from any thread holding the pool's
 * memory, at any moment, without messaging a worker. Each counter is written only by its worker
 * (plain Float64 stores, flushed every 1024 jobs and whenever the worker runs out of work), so a
 * read may lag the truth by up to one flush; counters never go backwards.
 */
import type { SchedulerStats, WorkerStats } from '../scheduler.js';
import * as L from './layout.js';

/** Counters of `slot`. */
export function readWorkerStats(stats: Float64Array, slot: number): WorkerStats {
  const b = slot * L.STAT_WORDS;
  const jobsRun = stats[b + L.ST_JOBS_RUN]!;
  return {
    worker: slot,
    localPops: stats[b + L.ST_LOCAL_POPS]!,
    steals: stats[b + L.ST_STEALS]!,
    stolenJobs: stats[b + L.ST_STOLEN_JOBS]!,
    failedSteals: stats[b + L.ST_FAILED_STEALS]!,
    parks: stats[b + L.ST_PARKS]!,
    busyMs: stats[b + L.ST_BUSY_NS]! / 1e6,
    jobsRun,
    jobsFailed: stats[b + L.ST_JOBS_FAILED]!,
  };
}

/**
 * The fast-path ratio: the share of dispatches (a worker taking its next job) served by the
 * worker's own deque or injector range with no contention, i.e. localPops ÷ (localPops + steals)
 * over all workers (1 before any job ran). Every job is dispatched exactly once, either by a local
 * pop or as the first job of a steal operation, so the denominator equals the jobs run.
 */
export function fastPathRatio(workers: readonly WorkerStats[]): number {
  let local = 0;
  let steals = 0;
  for (const w of workers) {
    local += w.localPops;
    steals += w.steals;
  }
  return local + steals === 0 ? 1 : local / (local + steals);
}

/** A full snapshot for slots [0, threads). */
export function readStats(stats: Float64Array, threads: number, batches: number, workerExits: number): SchedulerStats {
  const workers: WorkerStats[] = [];
  for (let s = 0; s < threads; s++) workers.push(readWorkerStats(stats, s));
  return { threads, batches, workers, fastPathRatio: fastPathRatio(workers), workerExits };
}
