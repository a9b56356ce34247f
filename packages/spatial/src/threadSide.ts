/**
 * The built-in strategies' thread module: every thread imports it and builds its reader (and, for
 * the octree, its share of the index pass and the job timings behind partition heat) over the
 * buffers the writer shares.
 */
import type { KindStore } from '@concurrengine/actors';

import type { GridBuffers } from './neighbourGrid.js';
import { GridReader } from './neighbourGrid.js';
import { OctreeIndexPass } from './octreeIndexPass.js';
import { OctreeIndexReader, type OctreeIndexBuffers } from './octreeIndexReader.js';
import { TIMED_JOBS } from './partitionJobs.js';
import type { SpatialThread } from './ports.js';

/** What a built-in strategy sends each thread. */
export interface BuiltinThreadData {
  readonly grid?: GridBuffers;
  readonly octree?: OctreeIndexBuffers;
}

export function createSpatialThread(data: unknown): SpatialThread {
  const { grid, octree } = data as BuiltinThreadData;
  if (grid) return { index: new GridReader(grid) };
  if (!octree) throw new TypeError('the built-in spatial thread module needs { grid } or { octree } buffers');
  const pass = new OctreeIndexPass(octree);
  const jobTimes = new Float64Array(octree.jobTimes);
  return {
    index: new OctreeIndexReader(octree),
    afterJob: (store: KindStore, kindId: number, first: number, end: number, jobId: number) => pass.afterJob(store, kindId, first, end, jobId),
    jobTimed(jobId, ms, ran) {
      if (jobId >= TIMED_JOBS) return;
      jobTimes[jobId * 2] = ms;
      jobTimes[jobId * 2 + 1] = ran;
    },
  };
}
