/**
 * Cuts the world into one tick's jobs: for each kind, runs of whole pages, about eight jobs per
 * thread so stealing can even out uneven pages. Each job prefers the worker that ran the same
 * pages last tick (its pages are likely still in that core's cache).
 */
import type { JobBatch } from '@concurrengine/scheduler';

import { RUN_PAGES_JOB } from './protocol.js';
import type { World } from './world.js';

const JOBS_PER_THREAD = 8;

/**
 * Pages per job of a one-thread cut of a world of `totalPages`. It is also the block that
 * `isolation = "worker"` restarts: the job a failure ran in on one thread, so that what a failure
 * restarts — and with it the state hash — does not depend on how many threads cut the world.
 */
export function oneThreadJobPages(totalPages: number): number {
  return Math.max(1, Math.ceil(totalPages / JOBS_PER_THREAD));
}

/**
 * Fills `batch` (cleared first) and returns the number of jobs. `lastWorker(j, kindId, first, end)`
 * is the worker job j (pages [first, end) of the kind) should prefer, or -1: by default the one
 * that ran job j last tick; the octree strategy may name its partition's worker instead.
 */
export function cutJobs(world: World, threads: number, batch: JobBatch, lastWorker: (jobId: number, kindId: number, first: number, end: number) => number): number {
  batch.clear();
  const totalPages = world.stores.reduce((n, s) => n + s.usedPages, 0);
  if (totalPages === 0) return 0;
  const pagesPerJob = Math.max(1, Math.ceil(totalPages / (threads * JOBS_PER_THREAD)));
  world.stores.forEach((store, kindId) => {
    const pages = store.usedPages;
    for (let first = 0; first < pages; first += pagesPerJob) {
      const id = batch.length;
      const end = Math.min(pages, first + pagesPerJob);
      batch.add(RUN_PAGES_JOB, kindId, first, end, 0, threads > 1 ? lastWorker(id, kindId, first, end) : -1);
    }
  });
  return batch.length;
}
