// Explicit named exports only (STYLE.md §1).
export { systemClock, type Clock } from './clock.js';
export { createTelemetry, type TelemetryOptions, type TelemetryRecorder } from './createTelemetry.js';
export { isTelemetryError, TelemetryError, type TelemetryErrorCode } from './errors.js';
export type { DashboardFrame, PartitionCell, QueueFrame, SnapshotFrame, SpatialFrame, SupervisionFrame, ThreadFrame } from './frame.js';
export { METRIC, METRIC_SPECS, SNAPSHOT_BUCKETS, TICK_BUCKETS, type MetricSpec, type MetricType } from './metricNames.js';
export { createTelemetryServer, type TelemetryServer, type TelemetryServerOptions } from './server/createTelemetryServer.js';
export { DEFAULT_ENDPOINT, type Endpoint } from './server/endpoint.js';
export type { StreamStats } from './server/streamHub.js';
export type { ActorKindStats, PartitionStats, QueueStats, RetainedStats, SnapshotStats, SpatialIndexStats, SupervisionStats, TelemetrySource, ThreadStats, Vec3Tuple } from './source.js';
export { startTelemetry, type RunningTelemetry, type StartTelemetryOptions } from './startTelemetry.js';
export { noopTelemetry, type ExporterCounts, type Telemetry, type TelemetryFeed } from './telemetry.js';
export type { TraceEvent } from './traceRing.js';
