/**
 * What the octree's partitions do for the scheduler. Jobs stay runs of whole pages of one kind:
 * actors are never moved in memory (refs stay stable), so a partition is not a job and a job is
 * not a partition. What the partitions add:
 *
 * - placement: a pass over (a sample of) the octree's leaves, spread over `REFRESH` boundaries,
 *   finds each page's dominant partition (the leaf holding most of the page's indexed actors). A job whose actors lie at
 *   least half in one partition prefers the worker that last ran a job of that partition; the
 *   other jobs keep the engine's default (the worker that ran the same pages last tick). With
 *   actors spread at random over the slots no page has a dominant partition and nothing changes.
 * - heat: each job's measured time per actor run is charged to its pages, and a leaf's heat is the
 *   sum over its actors (µs per tick), fed back with `setHeat` so the heat map shows cost.
 */
import type { KindStore } from '@concurrengine/actors';
import type { Octree } from '@concurrengine/octree';
import type { JobBatch } from '@concurrengine/scheduler';

/** Jobs whose time is recorded (two float64s each: ms, actors run); later jobs are not timed. */
export const TIMED_JOBS = 4096;

/**
 * Ticks one pass over the leaves is spread over: each boundary samples 1/REFRESH of them into the
 * tables being built, which replace the ones in use when the pass completes. (Done at once every
 * REFRESH ticks it cost ~4.5–6 ms at 1M actors, and every 8th tick showed in the tick p90/p99.)
 */
const REFRESH = 8;
/** Ids read per refresh, at most (about). */
const SAMPLE = 1 << 17;

export class PartitionJobs {
  /** Jobs placed on the worker of their partition, since the start. */
  placed = 0;
  private ready = false;
  private timed = false;
  private bases: readonly number[] = [];
  private pageBase: number[] = [];
  private pageSizes: number[] = [];
  /** By global page (pageBase[kind] + page): dominant partition id (-1: none), its actors there, indexed actors there. */
  private dominant = new Int32Array(0);
  private dominantHits = new Int32Array(0);
  private indexed = new Int32Array(0);
  /** The same tables, being built by the pass in progress. */
  private next = { dominant: new Int32Array(0), dominantHits: new Int32Array(0), indexed: new Int32Array(0) };
  /** The pass in progress: the partition ids it walks (taken at its start) and the next one's index. */
  private sweep: Int32Array = new Int32Array(0);
  private sweepAt = 0;
  private readonly span = new Int32Array(2);
  /** By global page: ms per actor of the job that ran it last. */
  private costPerActor = new Float64Array(0);
  private stamp = new Int32Array(0);
  private hits = new Int32Array(0);
  private touched = new Int32Array(0);
  private jobPartition = new Int32Array(256).fill(-1);
  private readonly workerOf = new Map<number, number>();
  private readonly tally = new Map<number, number>();

  constructor(private readonly jobTimes: Float64Array) {}

  /** Called after the octree was updated for the next tick. */
  boundary(tree: Octree, bases: readonly number[], caps: readonly number[], stores: readonly KindStore[], sorted: boolean): void {
    // Actors moved to new slots: each page's dominant partition is another one now.
    let relaid = sorted;
    if (bases !== this.bases) {
      // A new octree (ids laid out anew): size the per-page tables.
      this.bases = bases;
      this.pageSizes = stores.map((s) => s.layout.pageSize);
      this.pageBase = [];
      let pages = 0;
      caps.forEach((cap, k) => {
        this.pageBase.push(pages);
        pages += Math.ceil(cap / this.pageSizes[k]!);
      });
      this.dominant = new Int32Array(pages).fill(-1);
      this.dominantHits = new Int32Array(pages);
      this.indexed = new Int32Array(pages);
      this.next = { dominant: new Int32Array(pages), dominantHits: new Int32Array(pages), indexed: new Int32Array(pages) };
      this.costPerActor = new Float64Array(pages);
      this.stamp = new Int32Array(pages);
      this.hits = new Int32Array(pages);
      this.touched = new Int32Array(pages);
      this.workerOf.clear();
      relaid = true;
    }
    // After a re-layout the old tables say nothing: a whole pass now. Otherwise a slice of one.
    if (relaid) {
      this.sweepAt = this.sweep.length;
      this.refresh(tree, true);
    } else this.refresh(tree, false);
  }

  /** The worker of the partition most of job `jobId`'s actors lie in, if it has one. */
  preferWorker(jobId: number, kindId: number, first: number, end: number): number | undefined {
    if (!this.ready || kindId >= this.pageBase.length) return undefined;
    if (jobId >= this.jobPartition.length) {
      const grown = new Int32Array(jobId * 2).fill(-1);
      grown.set(this.jobPartition);
      this.jobPartition = grown;
    }
    const tally = this.tally;
    tally.clear();
    let total = 0;
    const base = this.pageBase[kindId]!;
    const limit = kindId + 1 < this.pageBase.length ? this.pageBase[kindId + 1]! : this.dominant.length;
    for (let g = base + first; g < Math.min(base + end, limit); g++) {
      total += this.indexed[g]!;
      const pid = this.dominant[g]!;
      if (pid >= 0) tally.set(pid, (tally.get(pid) ?? 0) + this.dominantHits[g]!);
    }
    let best = -1;
    let most = 0;
    for (const [pid, n] of tally) {
      if (n > most || (n === most && pid < best)) {
        best = pid;
        most = n;
      }
    }
    this.jobPartition[jobId] = total > 0 && 2 * most >= total ? best : -1;
    if (this.jobPartition[jobId]! < 0) return undefined;
    const worker = this.workerOf.get(best);
    if (worker !== undefined) this.placed++;
    return worker;
  }

  /** Records who ran each partition's jobs, and each page's cost per actor. */
  afterJobs(batch: JobBatch, jobs: number): void {
    const times = this.jobTimes;
    for (let j = 0; j < jobs; j++) {
      const worker = batch.ranBy(j);
      if (worker < 0) continue;
      const pid = j < this.jobPartition.length ? this.jobPartition[j]! : -1;
      if (pid >= 0) this.workerOf.set(pid, worker);
      const kindId = batch.arg(j, 0);
      if (j >= TIMED_JOBS || kindId >= this.pageBase.length) continue;
      const ran = times[j * 2 + 1]!;
      const cost = ran > 0 ? times[j * 2]! / ran : 0;
      const base = this.pageBase[kindId]!;
      const limit = kindId + 1 < this.pageBase.length ? this.pageBase[kindId + 1]! : this.costPerActor.length;
      for (let g = base + batch.arg(j, 1); g < Math.min(base + batch.arg(j, 2), limit); g++) this.costPerActor[g] = cost;
      this.timed = true;
    }
    this.jobPartition.fill(-1, 0, Math.min(jobs, this.jobPartition.length));
  }

  /**
   * The next slice of the pass over the leaves (all of it with `whole`): for a strided sample of
   * each leaf's ids, the pages they lie in — each page's dominant partition — and the leaf's heat.
   */
  private refresh(tree: Octree, whole: boolean): void {
    const ids = tree.ids;
    const { stamp, hits, touched, costPerActor, span } = this;
    const { dominant, dominantHits, indexed } = this.next;
    if (this.sweepAt >= this.sweep.length) {
      // A new pass: the leaves as they are now, walked by partition id (ids are stable; a leaf
      // that splits or merges meanwhile is skipped, its successors are in the next pass).
      this.sweep = Int32Array.from(tree.partitions(), (p) => p.id);
      this.sweepAt = 0;
      stamp.fill(-1);
      dominant.fill(-1);
      dominantHits.fill(0);
      indexed.fill(0);
    }
    const bases = this.bases;
    // A strided sample of each leaf's ids, weighted by the stride: SAMPLE reads per pass at most.
    const stride = Math.max(1, Math.floor(tree.size / SAMPLE));
    const end = whole ? this.sweep.length : Math.min(this.sweep.length, this.sweepAt + Math.ceil(this.sweep.length / REFRESH));
    for (let leaf = this.sweepAt; leaf < end; leaf++) {
      const pid = this.sweep[leaf]!;
      if (!tree.partitionSpan(pid, span)) continue;
      const start = span[0]!, actors = span[1]!;
      let heat = 0;
      let t = 0;
      for (let k = start + (leaf % stride); k < start + actors; k += stride) {
        const id = ids[k]!;
        let kind = 0;
        while (kind + 1 < bases.length && id >= bases[kind + 1]!) kind++;
        const g = this.pageBase[kind]! + Math.floor((id - bases[kind]!) / this.pageSizes[kind]!);
        if (stamp[g] !== leaf) {
          stamp[g] = leaf;
          hits[g] = 0;
          touched[t++] = g;
        }
        hits[g]! += stride;
        heat += costPerActor[g]! * stride;
      }
      for (let i = 0; i < t; i++) {
        const g = touched[i]!;
        indexed[g]! += hits[g]!;
        if (hits[g]! > dominantHits[g]!) {
          dominantHits[g] = hits[g]!;
          dominant[g] = pid;
        }
      }
      if (this.timed) tree.setHeat(pid, heat * 1000);
    }
    this.sweepAt = end;
    if (end < this.sweep.length) return;
    // The pass is complete: its tables replace the ones in use (which the next pass rebuilds).
    const done = this.next;
    this.next = { dominant: this.dominant, dominantHits: this.dominantHits, indexed: this.indexed };
    this.dominant = done.dominant;
    this.dominantHits = done.dominantHits;
    this.indexed = done.indexed;
    const live = new Set(this.sweep);
    for (const pid of [...this.workerOf.keys()]) if (!live.has(pid)) this.workerOf.delete(pid);
    this.ready = true;
  }
}
