/**
 * The shape of a resolved configuration: what the engine and the CLI consume. Every field is
 * present (defaults fill the gaps), units are resolved (Hz, milliseconds, ticks), and the
 * object returned by `loadConfig` is deeply frozen.
 */
import type { Vec3 } from './autoValues.js';
import type { Endpoint } from './units.js';

/** How space is cut into scheduling units. */
export type PartitionStrategy = 'adaptive-octree' | 'uniform-grid' | 'single';
/** Transport for client connections. */
export type NetworkProtocol = 'quic' | 'websocket' | 'tcp';
/** What a full outbound queue does: make the sender wait, drop the newest, or drop the oldest. */
export type BackpressureStrategy = 'bounded' | 'dropping' | 'sliding';
/** Where metrics go. */
export type TelemetryExporter = 'prometheus' | 'none';
/** How long a failed actor waits before its restart. */
export type RestartPolicy = 'exponential-backoff' | 'fixed-backoff' | 'immediate' | 'never';
/** Which siblings restart with a failed child (OTP strategies). */
export type SupervisionStrategy = 'one-for-one' | 'one-for-all' | 'rest-for-one';
/** The unit a failure takes down with it. */
export type IsolationLevel = 'actor' | 'partition' | 'worker';

/** `[engine]`: threads, tick rate, partitioning, determinism and snapshots. */
export interface EngineConfig {
  /** Worker threads; capped to the machine's parallelism unless `oversubscribe`. */
  readonly threads: number;
  /** Allow more threads than the machine's parallelism. */
  readonly oversubscribe: boolean;
  /** Ticks per second (Hz). */
  readonly tickRateHz: number;
  readonly partitionStrategy: PartitionStrategy;
  /** World seed: same seed + same inputs ⇒ same state. */
  readonly seed: number;
  /** Write a snapshot segment to disk every this many ticks; 0 disables disk snapshots. */
  readonly snapshotIntervalTicks: number;
  /** Snapshot writes in flight before a due tick is skipped (counted) instead of queued. */
  readonly snapshotMaxQueued: number;
  /** Directory of snapshot segments. */
  readonly snapshotDir: string;
  /** Stored ticks a run keeps on disk: the newest this many (older ones are deleted in batches); 0 = every one. */
  readonly snapshotKeep: number;
  /** Recent ticks kept in memory for rewind; 0 = none. */
  readonly retainTicks: number;
}

/**
 * `[spatial]`: the spatial index `partition_strategy` selects. `'auto'` leaves a value to the
 * engine (the world box: the live actors' extent, padded; `mergeBelow`: the octree's default) or
 * to the program (`cellSize`: its own `.spatial({ cellSize })`).
 */
export interface SpatialConfig {
  /** The octree's world box, lower corner; `'auto'` exactly when `worldMax` is. */
  readonly worldMin: Vec3 | 'auto';
  readonly worldMax: Vec3 | 'auto';
  /** An octree leaf with more actors splits. */
  readonly splitAbove: number;
  /** 8 sibling leaves with fewer actors in all merge; below `splitAbove` when set. */
  readonly mergeBelow: number | 'auto';
  /** Ticks between two spatial sorts of the actors; 0 = never. */
  readonly reorderEvery: number;
  /** The uniform grid's cell (`partition_strategy = "uniform-grid"`). */
  readonly cellSize: number | 'auto';
}

/** `[network]`: client connections. */
export interface NetworkConfig {
  readonly protocol: NetworkProtocol;
  /** Where the gateway listens. */
  readonly listen: Endpoint;
  readonly maxConnections: number;
  readonly backpressure: BackpressureStrategy;
  /** Messages queued per connection before `backpressure` applies. */
  readonly queueCapacity: number;
  /** A connection silent this long is closed (ms). */
  readonly idleTimeoutMs: number;
}

/** `[telemetry]`: metrics exporter and dashboard. */
export interface TelemetryConfig {
  readonly exporter: TelemetryExporter;
  /** Where the exporter and dashboard listen. */
  readonly endpoint: Endpoint;
  /** Fraction of actors whose per-actor metrics are sampled, 0–1. */
  readonly sampleRate: number;
  /** How often `/metrics` is rendered (ms): scrapes within it share one render. */
  readonly publishIntervalMs: number;
  readonly dashboard: boolean;
  /** Requests the exporter serves at once; 503 beyond. */
  readonly maxConcurrentRequests: number;
  /** Token required by the exporter on every route; '' = none. */
  readonly authToken: string;
}

/** `[supervision]`: restart policy and limits. */
export interface SupervisionConfig {
  readonly restartPolicy: RestartPolicy;
  readonly strategy: SupervisionStrategy;
  /** More restarts than this within `restartWindowMs` escalate to the parent. */
  readonly maxRestarts: number;
  readonly restartWindowMs: number;
  /** First backoff delay (ms); for actors, converted to ticks at the tick rate. */
  readonly backoffMinMs: number;
  /** Largest backoff delay (ms). */
  readonly backoffMaxMs: number;
  /** Running this long without a failure resets the backoff (ms). */
  readonly resetAfterMs: number;
  readonly isolation: IsolationLevel;
}

/** The whole resolved configuration. */
export interface ConcurrengineConfig {
  readonly engine: EngineConfig;
  readonly spatial: SpatialConfig;
  readonly network: NetworkConfig;
  readonly telemetry: TelemetryConfig;
  readonly supervision: SupervisionConfig;
}

/** Where a value came from. */
export type ValueOrigin =
  | { readonly kind: 'default' }
  | { readonly kind: 'file'; readonly file: string | undefined; readonly line: number; readonly column: number }
  | { readonly kind: 'env'; readonly name: string };

/** Something valid but worth a look. */
export interface ConfigWarning {
  readonly code: 'CONFIG_THREADS_CAPPED' | 'CONFIG_PUBLIC_BIND';
  readonly keyPath: string;
  readonly message: string;
}

/** The result of a successful load. */
export interface LoadedConfig {
  readonly config: ConcurrengineConfig;
  /** TOML key path (`engine.threads`) → origin, for every key, in table order. */
  readonly origins: Readonly<Record<string, ValueOrigin>>;
  readonly warnings: readonly ConfigWarning[];
}

/** Input of one load. With neither `file` nor `text`, only defaults and the environment apply. */
export interface ConfigInput {
  /** Path of a TOML file to read. */
  readonly file?: string;
  /** TOML text (wins over reading `file`; `file` then only names the source in messages). */
  readonly text?: string;
  /** Variables to read overrides from (`CONCURRENGINE_<SECTION>__<KEY>`); none when omitted. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Loads configurations. The default is {@link createConfigLoader}; tests and embedders may supply their own. */
export interface ConfigLoader {
  /** @throws {ConfigError} with every issue found. */
  load(input?: ConfigInput): LoadedConfig;
  /** The configuration as TOML that loads back to an equal configuration. */
  stringify(config: ConcurrengineConfig): string;
}
