export { Engine, EngineBuilder } from './builder.js';
export { createEngine, type EngineOptions } from './engineImpl.js';
export type { AdaptiveOctreeSpatial, EngineSpatial, PartitionStrategy, SpatialOptions, SpatialStats, SpatialStrategy, UniformGridSpatial } from './spatial.js';
// The built-in strategies, so that a program needs only the engine for them (`@concurrengine/spatial` has the ports).
export { adaptiveOctree, uniformGrid } from '@concurrengine/spatial';
export type { TelemetryOptions } from './engineTelemetry.js';
export type { EngineStats, RunOptions, RunSummary } from './engineApi.js';
export type { HandlerErrorReport } from './boundary.js';
export type { EventBatch, EventListener } from './events.js';
export { EngineError, type EngineErrorCode } from './errors.js';
export type { RetentionStats } from './rollback.js';
export { DEFAULT_SNAPSHOT_KEEP, type SnapshotCounters, type SnapshotPolicy } from './snapshotWriter.js';
export type { Isolation, SupervisionCounters, SupervisionOptions } from './supervision.js';
export { DrillFault } from './drill.js';
export { supervisionFromConfig, supervisionOver } from './supervisionConfig.js';
export { applyConfigOverride, configOverrideFromConfig, snapshotsFromConfig, type ConfigOverride } from './configOverride.js';
export { createSnapshotRunDir, KEEP_SNAPSHOT_RUNS } from './snapshotRuns.js';
export { describeStoredTick, type StoredTickInfo } from './describeStoredTick.js';
export { applySpatialOverride, spatialOverrideFromConfig, type SpatialOverride } from './spatialConfig.js';
export type { StoredSpatial } from './storedSpatial.js';
export type { EngineState, RetentionPolicy } from '@concurrengine/lifecycle';
export { hz, type TickRate } from './rate.js';
export { systemClock, type Clock } from './pacing.js';
export { experimental_setEngineHost, type EngineHost } from './host.js';
// The actor API, so a program needs one import.
export {
  Actor,
  defineEvent,
  defineMessage,
  field,
  NO_ACTOR,
  TICK,
  type ActorRef,
  type Context,
  type Handler,
  type Priority,
  type Tick,
} from '@concurrengine/actors';
