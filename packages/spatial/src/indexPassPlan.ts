/**
 * The main thread's side of the octree's index pass (octreeIndexPass.ts is the jobs' side): which
 * jobs of this tick pass which kinds, and, at the boundary, whether all of them finished and what
 * they listed. A plan is for one tree (its epoch) and used once.
 */
import type { KindStore } from '@concurrengine/actors';
import type { JobBatch } from '@concurrengine/scheduler';

import { MAX_PASS_JOBS, PLAN_WORDS } from './octreeIndexPass.js';
import type { OctreeIndexBuffers } from './octreeIndexReader.js';
import { ensureBytes } from './sharedGrowth.js';

/** Where the index keeps a kind: its id base and position column (-1: not indexed). */
export interface IndexedKinds {
  readonly bases: readonly number[];
  readonly columns: readonly number[];
}

export class IndexPassPlan {
  /** The tree the plan is for (-1: no plan). */
  private epoch = -1;
  /** The jobs that pass an indexed kind, and the first id of each one's listed region. */
  private readonly jobs: number[] = [];
  private readonly regions: number[] = [];
  private readonly counts: Int32Array;
  private readonly times: Float64Array;

  constructor(private readonly buffers: OctreeIndexBuffers) {
    this.counts = new Int32Array(buffers.passCounts);
    this.times = new Float64Array(buffers.passTimes);
  }

  /** No pass this tick: every kind's plan column is -1, so the jobs skip it. */
  cancel(kinds: number): void {
    this.epoch = -1;
    ensureBytes(this.buffers.passPlan, kinds * PLAN_WORDS * 4);
    new Int32Array(this.buffers.passPlan).fill(-1);
  }

  /** Plans a pass over the tree of `epoch` for the `jobs` jobs of `batch` (cut, not yet run); false when there are too many jobs or no indexed kind. */
  plan(stores: readonly KindStore[], batch: JobBatch, jobs: number, kinds: IndexedKinds, epoch: number): boolean {
    this.cancel(stores.length);
    if (jobs > MAX_PASS_JOBS || !kinds.columns.some((c) => c >= 0)) return false;
    const plan = new Int32Array(this.buffers.passPlan);
    stores.forEach((store, k) => {
      if ((kinds.columns[k] ?? -1) < 0) return;
      plan[k * PLAN_WORDS] = kinds.bases[k]!;
      plan[k * PLAN_WORDS + 1] = kinds.columns[k]!;
      plan[k * PLAN_WORDS + 2] = store.highWater;
    });
    this.jobs.length = 0;
    this.regions.length = 0;
    for (let j = 0; j < jobs; j++) {
      const k = batch.arg(j, 0);
      if ((kinds.columns[k] ?? -1) < 0) continue;
      this.jobs.push(j);
      this.regions.push(kinds.bases[k]! + batch.arg(j, 1) * stores[k]!.layout.pageSize);
    }
    this.counts.fill(-1, 0, jobs);
    this.times.fill(0, 0, jobs);
    this.epoch = epoch;
    return true;
  }

  /** Whether the plan was for the tree of `epoch` and every planned job finished its pass. Consumes the plan. */
  take(epoch: number): boolean {
    const done = this.epoch === epoch && this.jobs.every((j) => this.counts[j]! >= 0);
    this.epoch = -1;
    return done;
  }

  /** Ms the planned jobs spent in their passes, summed. */
  ms(): number {
    return this.jobs.reduce((ms, j) => ms + this.times[j]!, 0);
  }

  /** The jobs' listed ids, compacted to the front of `listed` in job order (regions ascend, so in place); returns how many. */
  gather(): { readonly listed: Int32Array; readonly count: number } {
    const listed = new Int32Array(this.buffers.listed);
    let total = 0;
    for (let i = 0; i < this.jobs.length; i++) {
      const count = this.counts[this.jobs[i]!]!;
      const from = this.regions[i]!;
      if (from !== total && count > 0) listed.copyWithin(total, from, from + count);
      total += count;
    }
    return { listed, count: total };
  }
}
