/**
 * The index pass: the per-actor half of bringing the octree up to date, run by the workers after
 * the tick's effects were applied (issue 16: the boundary's per-actor work on every core). The
 * main thread plans it (`planIndexPass`: page ranges of the indexed kinds, a few per thread),
 * each job runs `OctreeRangePass` over its pages — stores the positions of the actors still in
 * their leaf, lists those that left it in its own region of `listed` (the ids of its pages, so
 * jobs never share memory) — and the writer then re-buckets only the listed actors, in job
 * order, with `updateListed`. The main thread's share is O(jobs + crossings), not O(actors).
 *
 * Plan words per kind (Int32): id base, position column (-1: not indexed), high-water mark.
 */
import type { KindStore } from '@concurrengine/actors';
import { OctreeRangePass } from '@concurrengine/octree';

import { C_EPOCH, type OctreeIndexBuffers } from './octreeIndexReader.js';

/** Jobs one pass may have (their counts live in a fixed shared array). */
export const MAX_PASS_JOBS = 1024;
/** Jobs per thread: a few, so a thread that finishes early can steal. */
export const PASS_JOBS_PER_THREAD = 4;
export const PLAN_WORDS = 3;

/** A worker's side: runs pass jobs over the shared tree. */
export class OctreeIndexPass {
  private readonly control: Int32Array;
  private readonly counts: Int32Array;
  private epoch = 0;
  private pass: OctreeRangePass | undefined;

  constructor(private readonly buffers: OctreeIndexBuffers) {
    this.control = new Int32Array(buffers.control);
    this.counts = new Int32Array(buffers.passCounts);
  }

  /** Pages [first, end) of `kindId`: lists the actors that left their leaf; returns how many. */
  run(store: KindStore, kindId: number, first: number, end: number, job: number): number {
    const epoch = Atomics.load(this.control, C_EPOCH);
    if (epoch !== this.epoch || !this.pass) {
      this.pass = new OctreeRangePass(this.buffers.tree);
      this.epoch = epoch;
    }
    const plan = new Int32Array(this.buffers.passPlan, kindId * PLAN_WORDS * 4, PLAN_WORDS);
    const base = plan[0]!, column = plan[1]!, highWater = plan[2]!;
    const pageSize = store.layout.pageSize;
    const listed = new Int32Array(this.buffers.listed);
    const region = base + first * pageSize;
    let at = region;
    for (let p = first; p < end; p++) {
      const count = Math.min(pageSize, highWater - p * pageSize);
      if (count <= 0) break;
      at = this.pass.pass(store.page(p).columns[column] as Float64Array, base + p * pageSize, count, listed, at);
    }
    this.counts[job] = at - region;
    return at - region;
  }
}
