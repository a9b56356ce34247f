/**
 * The two ports of a spatial strategy. A handler's `ctx.neighbours()` reads a `NeighbourIndex` in
 * whatever thread runs it; the engine's main thread keeps the index up to date through the
 * strategy's `SpatialWriter` at every tick boundary. A strategy reaches the workers the way a
 * scheduler job module does: by a module URL every thread imports, and structured-cloneable data
 * (its SharedArrayBuffers) handed to that module's `createSpatialThread`.
 */
import type { ActorRef, KindStore } from '@concurrengine/actors';
import type { JobBatch } from '@concurrengine/scheduler';

import type { SpatialOptions } from './options.js';

/** A point or centre, as handlers hold it (an actor's vec3 field is one). */
export interface Point3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export type Vec3Tuple = readonly [number, number, number];

/** A world box. */
export interface SpatialBounds {
  readonly min: Vec3Tuple;
  readonly max: Vec3Tuple;
}

/**
 * The reader: what a handler's `ctx.neighbours(center, radius, out)` asks, in any thread.
 * It answers from the positions of the last boundary (the end of the previous tick), so every
 * thread sees the same answer whatever runs concurrently.
 */
export interface NeighbourIndex {
  /**
   * Writes into `out` (cleared first) the refs of the indexed actors within `radius` of `center`
   * (distance ≤ radius) and returns how many. The order must not depend on the thread count.
   */
  query(center: Point3, radius: number, out: ActorRef[]): number;
}

/** What a strategy's thread module builds in each thread from the strategy's `thread.data`. */
export interface SpatialThread {
  readonly index: NeighbourIndex;
  /**
   * Optional: called right after a job ran pages [first, end) of kind `kindId` without throwing,
   * in the thread that ran it — the job's own share of bringing the index up to date (the
   * octree's index pass). Positions of those pages are final for the tick at that point.
   */
  afterJob?(store: KindStore, kindId: number, first: number, end: number, jobId: number): void;
  /** Optional: every job's wall-clock ms and actors run, after it ran (the octree's partition heat). */
  jobTimed?(jobId: number, ms: number, ran: number): void;
}

/** The module a strategy's threads import: it exports this function under this name. */
export type CreateSpatialThread = (data: unknown) => SpatialThread;

/** One partition of the index, as telemetry's heat map draws it. */
export interface SpatialPartition {
  /** Stable partition id. */
  readonly id: number;
  readonly actors: number;
  /** Work per tick, unitless, ≥ 0. */
  readonly heat: number;
  readonly min: Vec3Tuple;
  readonly max: Vec3Tuple;
}

/** The index's counters (`engine.stats().spatial`). A user strategy reports what applies and 0 for the rest. */
export interface SpatialStats {
  /** The strategy's name: "uniform-grid", "adaptive-octree", or a user strategy's own. */
  readonly strategy: string;
  /** Partitions (the octree's leaves); 0 for the grid. */
  readonly partitions: number;
  /** Leaf splits and merges since the start. */
  readonly splits: number;
  readonly merges: number;
  /** Times an actor changed leaf, summed over ticks. */
  readonly crossings: number;
  /** Actors outside the octree's world box (found by a linear scan per query). */
  readonly outside: number;
  /** Main-thread ms the last boundary spent bringing the index up to date (a spatial sort included). */
  readonly updateMs: number;
  /** Spatial sorts of the actors since the start (the whole sort and each sort step), and the last one's ms (octree; 0 for the grid). */
  readonly sorts: number;
  readonly sortMs: number;
  /** Times an octree world box derived from the actors ("auto") was derived again because they outgrew it. */
  readonly refits: number;
  /** Jobs whose pages mostly lay in one partition and were placed by it, since the start. */
  readonly partitionJobs: number;
  /** Boundaries whose per-actor index work ran in the workers (the index pass), since the start. */
  readonly passes: number;
  /** Ms the jobs spent in the last tick's index pass, summed over jobs (CPU time on the workers); `updateMs` is the main thread's share after it. */
  readonly passMs: number;
}

/** The writer: the main thread's side of an index. Only `rebuild` and `stats` are required. */
export interface SpatialWriter {
  /**
   * Re-indexes the actors of `stores` (the kinds with a `position` vec3 field are the indexed ones)
   * as they stand now. `tick` is given at a tick's boundary (after its effects, before the seal of
   * `tick`) and nowhere else: the only place an index may move actors between slots (their slots
   * are then sealed, so a rewind or a replay sees the same moves). Without `tick` (start, rewind,
   * restore) it must index the stores as they are.
   */
  rebuild(stores: readonly KindStore[], tick?: number): void;
  /**
   * Called with the tick's jobs, cut and not yet run: the writer may have each job pass its pages
   * to the index after its handlers (`SpatialThread.afterJob`), and at `rebuild(…, tick)` re-bucket
   * only what the passes listed — provided every job finished its pass.
   */
  planIndexPass?(stores: readonly KindStore[], batch: JobBatch, jobs: number): void;
  /** The worker job `jobId` (pages [first, end) of `kindId`) should prefer; undefined: no opinion. */
  preferWorker?(jobId: number, kindId: number, first: number, end: number): number | undefined;
  /** After a batch ran: who ran which job and how long it took. */
  afterJobs?(batch: JobBatch, jobs: number): void;
  /** The partitions, for the dashboard's heat map. */
  partitions?(): SpatialPartition[];
  /**
   * The world box the index settled on (given, or the first world's extent), when it matters for
   * what the index does to the world: the octree's spatial sort keys positions on it. Stored with
   * each tick, so an engine restoring the tick sorts as the recording one did.
   */
  bounds?(): SpatialBounds | undefined;
  /** Takes a stored tick's box (a restore); the next rebuild builds the index on it. */
  adoptBounds?(bounds: SpatialBounds): void;
  stats(): SpatialStats;
}

/**
 * A spatial strategy: the writer the main thread drives, and how each thread builds its reader.
 * Give one to the engine builder's `.spatial(…)` (the built-ins are `uniformGrid()` and
 * `adaptiveOctree()`), or write your own.
 */
export interface SpatialStrategy {
  /** Its name in stats, telemetry and stored ticks. */
  readonly name: string;
  readonly writer: SpatialWriter;
  /**
   * Every thread imports `url` (a file URL; `.ts` works under tsx) and calls its exported
   * `createSpatialThread(data)`. `data` must be structured-cloneable: SharedArrayBuffers, numbers,
   * strings — the writer and every reader share the index through it.
   */
  readonly thread: { readonly url: string; readonly data: unknown };
  /** The built-in strategies' options (recorded with stored ticks, so a replay rebuilds the same index); absent for a user's own. */
  readonly options?: SpatialOptions;
}
