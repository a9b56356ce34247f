/**
 * Cuts the world into one tick's jobs: for each kind, runs of whole pages, about eight jobs per
 * thread so stealing can even out uneven pages. Each job prefers the worker that ran the same
 * pages last tick (its pages are likely still in that core's cache).
 */
import type { JobBatch } from '@concurrengine/scheduler';

import { RUN_PAGES_JOB } from './protocol.js';
import type { World } from './world.js';

const JOBS_PER_THREAD = 8;

/** Fills `batch` (cleared first) and returns the number of jobs. `lastWorker(j)` is job j's worker last tick, or -1. */
export function cutJobs(world: World, threads: number, batch: JobBatch, lastWorker: (jobId: number) => number): number {
  batch.clear();
  const totalPages = world.stores.reduce((n, s) => n + s.usedPages, 0);
  if (totalPages === 0) return 0;
  const pagesPerJob = Math.max(1, Math.ceil(totalPages / (threads * JOBS_PER_THREAD)));
  world.stores.forEach((store, kindId) => {
    const pages = store.usedPages;
    for (let first = 0; first < pages; first += pagesPerJob) {
      const id = batch.length;
      batch.add(RUN_PAGES_JOB, kindId, first, Math.min(pages, first + pagesPerJob), 0, threads > 1 ? lastWorker(id) : -1);
    }
  });
  return batch.length;
}
