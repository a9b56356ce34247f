/**
 * The documented metric set: one row per series family, in the order `/metrics` lists them.
 * Registration, the README table, the Grafana dashboard and the tests all read this table, so a
 * name changes in one place. Conventions: `concurrengine_` prefix, base units (seconds, bytes),
 * `_total` on counters, histograms for durations.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
  readonly help: string;
}

const spec = (name: string, type: MetricType, labels: readonly string[], help: string): MetricSpec => ({ name, type, labels, help });

export const METRIC = {
  tickDuration: spec('concurrengine_tick_duration_seconds', 'histogram', [], 'Wall time of one tick, boundary included.'),
  tickOverruns: spec('concurrengine_tick_overruns_total', 'counter', [], 'Ticks that took longer than the tick budget.'),
  tickBudget: spec('concurrengine_tick_budget_seconds', 'gauge', [], 'Time one tick may take at the configured tick rate.'),
  currentTick: spec('concurrengine_tick', 'gauge', [], 'Number of the last completed tick.'),
  workers: spec('concurrengine_workers', 'gauge', [], 'Worker threads in the scheduler pool.'),
  dispatches: spec('concurrengine_dispatches_total', 'counter', ['worker', 'path'], 'Jobs a worker ran, by how it got them: path="local" (own deque) or "stolen".'),
  steals: spec('concurrengine_steals_total', 'counter', ['worker'], 'Successful steal operations.'),
  failedSteals: spec('concurrengine_failed_steals_total', 'counter', ['worker'], 'Steal attempts that lost a race.'),
  parks: spec('concurrengine_worker_parks_total', 'counter', ['worker'], 'Times a worker parked (Atomics.wait).'),
  busySeconds: spec('concurrengine_worker_busy_seconds_total', 'counter', ['worker'], 'Time a worker spent running jobs.'),
  busyRatio: spec('concurrengine_worker_busy_ratio', 'gauge', ['worker'], 'Share of wall time a worker was busy since the previous scrape (0..1).'),
  jobsFailed: spec('concurrengine_jobs_failed_total', 'counter', ['worker'], 'Jobs that threw.'),
  queueDepth: spec('concurrengine_queue_depth', 'gauge', ['channel', 'tier'], 'Messages queued in a channel, per priority tier.'),
  blockedSenders: spec('concurrengine_queue_blocked_senders', 'gauge', ['channel'], 'Senders waiting for capacity in a channel.'),
  dropped: spec('concurrengine_queue_dropped_total', 'counter', ['channel', 'side'], 'Messages dropped by a full channel: side="newest" (refused) or "oldest" (evicted).'),
  rejected: spec('concurrengine_queue_rejected_total', 'counter', ['channel'], 'Sends refused as full under the error strategy.'),
  actors: spec('concurrengine_actors', 'gauge', ['kind'], 'Live actors, by kind.'),
  eventsEmitted: spec('concurrengine_events_emitted_total', 'counter', ['kind'], 'Events emitted by actors, by kind.'),
  restarts: spec('concurrengine_actor_restarts_total', 'counter', ['kind'], 'Actor restarts performed by the supervisor, by kind; one series without kind when the source counts only a total.'),
  escalations: spec('concurrengine_actor_escalations_total', 'counter', ['kind'], 'Failures escalated by the supervisor, by kind.'),
  backoffs: spec('concurrengine_actor_backoffs_total', 'counter', [], 'Actor restarts that kept the actor out for a backoff before it ran again.'),
  supervisionEscalations: spec('concurrengine_supervision_escalations_total', 'counter', [], 'Failures the supervisor escalated past its restart intensity, all kinds.'),
  jobsRedone: spec('concurrengine_jobs_redone_total', 'counter', [], 'Jobs of a dead worker run again by another worker.'),
  lastRedoDuration: spec('concurrengine_jobs_redo_last_duration_seconds', 'gauge', [], 'Wall time of the latest redo of the jobs of a dead worker.'),
  partitions: spec('concurrengine_partitions', 'gauge', [], 'Spatial partitions (octree leaves).'),
  partitionActors: spec('concurrengine_partition_actors', 'gauge', ['partition'], 'Actors in a partition (the hottest partitions only, see maxPartitionSeries).'),
  partitionHeat: spec('concurrengine_partition_heat', 'gauge', ['partition'], 'Load of a partition (the hottest partitions only, see maxPartitionSeries).'),
  spatialIndexDuration: spec('concurrengine_spatial_index_seconds', 'gauge', ['strategy'], 'Main-thread time the last tick boundary spent bringing the spatial index up to date, a spatial sort included.'),
  spatialPassDuration: spec('concurrengine_spatial_pass_seconds', 'gauge', ['strategy'], 'Wall time of the last index pass: the per-actor part of the index update, run by the workers before the main thread\'s share.'),
  spatialSorts: spec('concurrengine_spatial_sorts_total', 'counter', ['strategy'], 'Spatial sorts of the actors; each one stalls the boundary it runs at.'),
  spatialRefits: spec('concurrengine_spatial_refits_total', 'counter', ['strategy'], 'World boxes derived from the actors and derived again because they outgrew them; each rebuilds the index at its boundary.'),
  spatialLastSortDuration: spec('concurrengine_spatial_last_sort_seconds', 'gauge', ['strategy'], 'Main-thread time of the latest spatial sort of the actors.'),
  spatialSplits: spec('concurrengine_spatial_splits_total', 'counter', ['strategy'], 'Partitions (octree leaves) split for holding too many actors.'),
  spatialMerges: spec('concurrengine_spatial_merges_total', 'counter', ['strategy'], 'Sibling partitions merged for holding too few actors.'),
  spatialCrossings: spec('concurrengine_spatial_crossings_total', 'counter', ['strategy'], 'Times an actor moved to another partition.'),
  spatialOutside: spec('concurrengine_spatial_outside_actors', 'gauge', ['strategy'], 'Actors outside the spatial index\'s world box, scanned by every neighbour query.'),
  spatialPartitionJobs: spec('concurrengine_spatial_partition_jobs_total', 'counter', ['strategy'], 'Jobs placed on a worker by the partition that held most of their pages.'),
  snapshotBytes: spec('concurrengine_snapshot_bytes_total', 'counter', [], 'Bytes of snapshot segments written to disk, as told to recordSnapshot().'),
  snapshotDuration: spec('concurrengine_snapshot_write_duration_seconds', 'histogram', [], 'Wall time of writing one snapshot segment.'),
  snapshotsWritten: spec('concurrengine_snapshots_written_total', 'counter', [], 'Snapshots the snapshot writer stored.'),
  snapshotsSkipped: spec('concurrengine_snapshots_skipped_total', 'counter', [], 'Snapshots not taken because earlier writes were still queued.'),
  snapshotsFailed: spec('concurrengine_snapshots_failed_total', 'counter', [], 'Snapshot writes that failed.'),
  snapshotBytesWritten: spec('concurrengine_snapshot_bytes_written_total', 'counter', [], 'Bytes the snapshot writer wrote to its store.'),
  retainedTicks: spec('concurrengine_retained_ticks', 'gauge', [], 'Ticks in the rewind window.'),
  retainedBytes: spec('concurrengine_retained_bytes', 'gauge', [], 'Memory only the rewind window holds (sealed pages and messages in flight).'),
  lifecycleState: spec('concurrengine_lifecycle_state', 'gauge', ['state'], 'The lifecycle state: 1 for the current state, 0 for states seen before.'),
  lifecycleTransitions: spec('concurrengine_lifecycle_transitions_total', 'counter', ['state'], 'Lifecycle transitions, by the state entered.'),
  exporterRejections: spec('concurrengine_exporter_rejections_total', 'counter', ['reason'], 'Requests or connections the exporter refused: reason="busy" (503, max_concurrent_requests), "unauthorized" (401), "streams" (503, dashboard streams), "connections" (closed, maxConnections).'),
  exporterRenders: spec('concurrengine_exporter_renders_total', 'counter', [], 'Renders of /metrics on the engine\'s thread (at most one per publish_interval, however many scrape).'),
  traceSampled: spec('concurrengine_trace_sampled_events_total', 'counter', [], 'Events kept in the trace ring (actors chosen by sample_rate).'),
} as const satisfies Record<string, MetricSpec>;

/** Every metric, in registration order. */
export const METRIC_SPECS: readonly MetricSpec[] = Object.values(METRIC);

/** Upper bounds of the tick-duration histogram, in seconds; 1/60 s is one of them. */
export const TICK_BUCKETS: readonly number[] = [0.001, 0.002, 0.004, 0.008, 0.0125, 1 / 60, 0.025, 1 / 30, 0.05, 0.1, 0.25, 1];

/** Upper bounds of the snapshot-write histogram, in seconds. */
export const SNAPSHOT_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
