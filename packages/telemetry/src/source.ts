/**
 * What the telemetry package reads, declared here as plain structural types so it depends on no
 * other concurrengine package. The scheduler's `SchedulerStats.workers` entries and a channel's
 * `{ channel: name, ...stats() }` already have these shapes. Every member is optional: a source
 * that lacks one produces no series for it (a family without labels reads 0).
 *
 * Sources are called on the thread that owns the telemetry (the engine's main thread) at scrape
 * time and at the dashboard's stream rate (~10 Hz); they should read counters (shared memory),
 * not compute or allocate much. A source that throws fails that scrape, never the caller's loop.
 */

/** Counters of one scheduler worker, cumulative since that worker started. */
export interface ThreadStats {
  readonly worker: number;
  /** Jobs taken from the worker's own deque (dispatch path `local`). */
  readonly localPops: number;
  /** Jobs obtained by stealing (dispatch path `stolen`). */
  readonly stolenJobs: number;
  /** Successful steal operations. */
  readonly steals: number;
  /** Steal attempts that lost a race. */
  readonly failedSteals: number;
  /** Times the worker parked with `Atomics.wait`. */
  readonly parks: number;
  /** Milliseconds spent running jobs. */
  readonly busyMs: number;
  readonly jobsRun?: number;
  readonly jobsFailed?: number;
  /** Whether the worker is parked right now, when the scheduler knows. */
  readonly parked?: boolean;
}

/** Pressure of one channel. `depth` is keyed by tier name (`critical`, `high`, `normal`, `low`). */
export interface QueueStats {
  /** A name for the channel, used as the `channel` label (keep the set of names small). */
  readonly channel: string;
  readonly depth: Readonly<Record<string, number>>;
  /** Senders waiting for capacity right now. */
  readonly blockedSenders?: number;
  /** Messages refused (`newest`) and evicted (`oldest`) since the channel was created. */
  readonly dropped?: { readonly newest: number; readonly oldest: number };
  /** Sends refused as full under the `error` strategy. */
  readonly rejected?: number;
}

/** A point in world space. */
export type Vec3Tuple = readonly [number, number, number];

/** One spatial partition (an octree leaf): its bounds, population and load. */
export interface PartitionStats {
  /** Stable partition id (the `partition` label). */
  readonly id: number;
  readonly actors: number;
  /** Load measure of the partition (the octree's heat: work per tick, unitless, ≥ 0). */
  readonly heat: number;
  /** Lower corner of the leaf's box. */
  readonly min: Vec3Tuple;
  /** Upper corner of the leaf's box. */
  readonly max: Vec3Tuple;
}

/** Population and counters of one actor kind. Counters are cumulative. */
export interface ActorKindStats {
  readonly kind: string;
  /** Live actors of this kind. */
  readonly count: number;
  readonly eventsEmitted?: number;
  /** Restarts the supervisor performed on actors of this kind. */
  readonly restarts?: number;
  /** Failures the supervisor escalated past actors of this kind. */
  readonly escalations?: number;
}

/**
 * Supervision counters, cumulative (they may restart from 0, e.g. after a rewind: exported totals
 * carry on from where they were).
 */
export interface SupervisionStats {
  /** Actors restarted by their supervisor. */
  readonly restarts: number;
  /** Restarts that kept the actor out for a backoff before it ran again. */
  readonly backoffs?: number;
  /** Failures the supervisor escalated (past the restart intensity). */
  readonly escalations?: number;
  /** Jobs of a dead worker run again by another. */
  readonly jobsRedone?: number;
  /** Wall time of the latest redo of a dead worker's jobs, in seconds. */
  readonly lastRedoSeconds?: number;
}

/** Snapshot writer counters, cumulative. */
export interface SnapshotStats {
  /** Snapshots written to the store. */
  readonly written: number;
  /** Snapshots not taken because earlier writes were still queued. */
  readonly skipped?: number;
  /** Snapshot writes that failed. */
  readonly failed?: number;
  /** Bytes written to the store. */
  readonly bytesWritten?: number;
}

/** What the rewind window holds right now. */
export interface RetainedStats {
  /** Ticks that can be rewound to. */
  readonly ticks: number;
  /** Memory only the retained ticks hold, in bytes. */
  readonly bytes: number;
}

/**
 * The spatial index behind neighbour queries (the engine's `stats().spatial`, times in seconds).
 * Counters are cumulative since the start; `indexSeconds`, `lastSortSeconds` and `outside` are
 * the latest values.
 */
export interface SpatialIndexStats {
  /** Which index, the `strategy` label (`uniform-grid`, `adaptive-octree`; keep the set small). */
  readonly strategy: string;
  /** Main-thread time the last tick boundary spent bringing the index up to date, a sort included. */
  readonly indexSeconds: number;
  /** Wall time of the last index pass (the per-actor part of the update, on the workers), when the index has one. */
  readonly passSeconds?: number;
  /** Spatial sorts of the actors; each one stalls its boundary. */
  readonly sorts?: number;
  /** Times a world box derived from the actors was derived again because they outgrew it (each rebuilds the index). */
  readonly refits?: number;
  /** Main-thread time of the latest sort. */
  readonly lastSortSeconds?: number;
  /** Partitions split (too many actors) and sibling partitions merged (too few). */
  readonly splits?: number;
  readonly merges?: number;
  /** Times an actor moved to another partition. */
  readonly crossings?: number;
  /** Actors outside the index's world box right now. */
  readonly outside?: number;
  /** Jobs placed on a worker by the partition that held most of their pages. */
  readonly partitionJobs?: number;
}

/**
 * The engine implements this (each member a cheap read). Everything is pulled at scrape or frame
 * time; nothing is pushed per event.
 */
export interface TelemetrySource {
  threads?(): readonly ThreadStats[];
  queues?(): readonly QueueStats[];
  partitions?(): readonly PartitionStats[];
  actors?(): readonly ActorKindStats[];
  /** The lifecycle automaton's current state, e.g. `running`, `paused`. */
  lifecycle?(): string;
  /** Lifecycle transitions so far, by the state entered (`{ running: 3, paused: 2 }`), cumulative. */
  lifecycleTransitions?(): Readonly<Record<string, number>>;
  /** Supervision counters; absent or `undefined` when nothing is supervised. */
  supervision?(): SupervisionStats | undefined;
  /** Snapshot writer counters; absent or `undefined` when no snapshots are written. */
  snapshots?(): SnapshotStats | undefined;
  /** The rewind window; absent or `undefined` without retention. */
  retained?(): RetainedStats | undefined;
  /** The spatial index's counters; absent or `undefined` without an index. */
  spatial?(): SpatialIndexStats | undefined;
}

/** What one read of a source returned; missing members are empty. */
export interface SourceReading {
  readonly threads: readonly ThreadStats[];
  readonly queues: readonly QueueStats[];
  readonly partitions: readonly PartitionStats[];
  readonly actors: readonly ActorKindStats[];
  readonly lifecycle: string | undefined;
  readonly lifecycleTransitions: Readonly<Record<string, number>> | undefined;
  readonly supervision: SupervisionStats | undefined;
  readonly snapshots: SnapshotStats | undefined;
  readonly retained: RetainedStats | undefined;
  readonly spatial: SpatialIndexStats | undefined;
}

/** Which members a read skips: the dashboard shows neither partitions every frame nor the rest. */
export interface ReadParts {
  readonly partitions?: boolean;
  /** `lifecycleTransitions` and `retained` (metrics only). */
  readonly metricsOnly?: boolean;
}

const NONE: readonly never[] = Object.freeze([]);

const ALL: ReadParts = { partitions: true, metricsOnly: true };

/**
 * Reads the members of `source` that `parts` asks for (all by default) once each, calling each as
 * a method so class-based sources work. Throws whatever a member throws.
 */
export function readSource(source: TelemetrySource, parts: ReadParts = ALL): SourceReading {
  return {
    threads: source.threads?.() ?? NONE,
    queues: source.queues?.() ?? NONE,
    partitions: (parts.partitions === true ? source.partitions?.() : undefined) ?? NONE,
    actors: source.actors?.() ?? NONE,
    lifecycle: source.lifecycle?.(),
    lifecycleTransitions: parts.metricsOnly === true ? source.lifecycleTransitions?.() : undefined,
    supervision: source.supervision?.(),
    snapshots: source.snapshots?.(),
    retained: parts.metricsOnly === true ? source.retained?.() : undefined,
    spatial: source.spatial?.(),
  };
}
