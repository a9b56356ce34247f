/**
 * The index pass: the per-actor half of bringing the octree up to date, run by each job right
 * after its handlers, in the worker that ran them (issue 16: the boundary's per-actor work on
 * every core, while the positions the job just wrote are still in its cache). The job runs
 * `OctreeRangePass` over its pages: an actor still inside its leaf gets its new position stored in
 * its own slot of the octree's *back* copy of the positions (jobs never write the same memory, and
 * the other jobs' neighbour queries read the front copy, so they keep seeing the last tick's
 * positions), an actor that left its leaf is listed in the job's own region of `listed` (the ids
 * of its pages). At the boundary the writer swaps the copies and re-buckets only the listed actors,
 * in job order (`updateListed`): the main thread's share is O(jobs + crossings), not O(actors).
 *
 * Plan words per kind (Int32), written by the main thread before the jobs run: id base, position
 * column (-1: no pass for this kind this tick), high-water mark. `passCounts[job]` is -1 until the
 * job's pass is done, then how many it listed; `passTimes[job]` its ms.
 */
import type { KindStore } from '@concurrengine/actors';
import { OctreeRangePass } from '@concurrengine/octree';

import { C_EPOCH, type OctreeIndexBuffers } from './octreeIndexReader.js';

/** Jobs one tick may have for the pass to run (their counts live in a fixed shared array); more: no pass. */
export const MAX_PASS_JOBS = 1024;
export const PLAN_WORDS = 3;

/** A thread's side: runs the pass of the jobs it runs over the shared tree. */
export class OctreeIndexPass {
  private readonly control: Int32Array;
  private readonly counts: Int32Array;
  private readonly times: Float64Array;
  private epoch = 0;
  private pass: OctreeRangePass | undefined;

  constructor(private readonly buffers: OctreeIndexBuffers) {
    this.control = new Int32Array(buffers.control);
    this.counts = new Int32Array(buffers.passCounts);
    this.times = new Float64Array(buffers.passTimes);
  }

  /** After job `job` ran pages [first, end) of `kindId`: lists its actors that left their leaf, if this tick has a pass. */
  afterJob(store: KindStore, kindId: number, first: number, end: number, job: number): void {
    if (job >= MAX_PASS_JOBS || (kindId + 1) * PLAN_WORDS * 4 > this.buffers.passPlan.byteLength) return;
    const plan = new Int32Array(this.buffers.passPlan, kindId * PLAN_WORDS * 4, PLAN_WORDS);
    const base = plan[0]!, column = plan[1]!, highWater = plan[2]!;
    if (column < 0) return;
    const began = performance.now();
    const epoch = Atomics.load(this.control, C_EPOCH);
    if (epoch !== this.epoch || !this.pass) {
      this.pass = new OctreeRangePass(this.buffers.tree);
      this.epoch = epoch;
    }
    const pageSize = store.layout.pageSize;
    const listed = new Int32Array(this.buffers.listed);
    const region = base + first * pageSize;
    let at = region;
    for (let p = first; p < end; p++) {
      const count = Math.min(pageSize, highWater - p * pageSize);
      if (count <= 0) break;
      at = this.pass.pass(store.page(p).columns[column] as Float64Array, base + p * pageSize, count, listed, at);
    }
    this.times[job] = performance.now() - began;
    this.counts[job] = at - region;
  }
}
