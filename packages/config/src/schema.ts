/**
 * The key table: every section and key, its value type, its default (written as in TOML) and
 * its documentation. Loading, environment overrides, serializing and the README all follow it.
 */
import type { ConcurrengineConfig } from './config.js';
import { orAuto, positiveNumber, vec3OrAuto } from './autoValues.js';
import { boolean, duration, endpoint, float, frequency, integer, integerOrAuto, oneOf, text, token, type ParseContext, type TomlScalar, type ValueType, type Invalid } from './valueTypes.js';

/** One key: its TOML name, type, default as written in TOML, and one line of documentation. */
export interface KeySpec<T> {
  readonly key: string;
  readonly type: ValueType<T>;
  readonly default: TomlScalar;
  readonly doc: string;
}

type SectionSchema<S> = { readonly [P in keyof S]-?: KeySpec<S[P]> };
type ConfigSchema = { readonly [S in keyof ConcurrengineConfig]: SectionSchema<ConcurrengineConfig[S]> };

const HOUR = 3_600_000;

/** The table. Its key order is the order of output and documentation. */
export const schema: ConfigSchema = {
  engine: {
    threads: { key: 'threads', type: integerOrAuto(1, 4096), default: 'auto', doc: 'Worker threads; "auto" = the machine\'s available parallelism. More than that is capped with a warning unless `oversubscribe = true`.' },
    oversubscribe: { key: 'oversubscribe', type: boolean, default: false, doc: 'Allow `threads` above the available parallelism.' },
    tickRateHz: { key: 'tick_rate', type: frequency(0.001, 10_000), default: '60hz', doc: 'Simulation ticks per second: "60hz", "60 Hz", "1khz" or a bare number of Hz.' },
    partitionStrategy: { key: 'partition_strategy', type: oneOf(['adaptive-octree', 'uniform-grid', 'single']), default: 'adaptive-octree', doc: 'How space is cut into scheduling units.' },
    seed: { key: 'seed', type: integer(0, 0xffff_ffff), default: 0, doc: 'World seed; same seed and inputs give the same state for any thread count.' },
    snapshotIntervalTicks: { key: 'snapshot_interval', type: integer(0, 1_000_000), default: 600, doc: 'Write a snapshot segment every this many ticks (a count of ticks, not a duration); 0 = never.' },
    snapshotMaxQueued: { key: 'snapshot_max_queued', type: integer(1, 1024), default: 2, doc: 'Snapshot writes in flight before a due tick is skipped (and counted) rather than queued; each queued write holds a sealed world in memory.' },
    snapshotDir: { key: 'snapshot_dir', type: text, default: '.concurrengine/snapshots', doc: 'Directory of snapshot segments, relative to the working directory.' },
    snapshotKeep: { key: 'snapshot_keep', type: integer(0, 1_000_000), default: 16, doc: 'Stored ticks a run keeps: the newest this many (after every this-many-th write the older ones are deleted, so up to twice as many minus one are on disk in between); 0 = keep every stored tick. A tick before the oldest one kept can no longer be replayed.' },
    retainTicks: { key: 'retain_ticks', type: integer(0, 100_000), default: 0, doc: 'Recent ticks kept in memory for rewind (copy-on-write pages); 0 = none. Redoing a dead worker\'s jobs from pre-job copies needs at least 1.' },
  },
  spatial: {
    worldMin: { key: 'world_min', type: vec3OrAuto, default: 'auto', doc: 'Lower corner [x, y, z] of the octree\'s world box; "auto" = the live actors\' extent at the first tick, padded by a quarter of its largest side. Set with `world_max`, below it on every axis.' },
    worldMax: { key: 'world_max', type: vec3OrAuto, default: 'auto', doc: 'Upper corner [x, y, z] of the octree\'s world box; "auto" with `world_min`.' },
    splitAbove: { key: 'split_above', type: integer(2, 1_000_000), default: 512, doc: 'An octree leaf holding more actors than this splits into 8.' },
    mergeBelow: { key: 'merge_below', type: orAuto(integer(0, 999_999)), default: 'auto', doc: '8 sibling leaves holding fewer actors than this in all merge; below `split_above`; "auto" = the octree\'s default (split_above / 4).' },
    reorderEvery: { key: 'reorder_every', type: integer(0, 1_000_000), default: 8, doc: 'Ticks between two steps of the spatial sort of the actors (slots follow the Morton order of positions; each step sorts a window of ~16K actors in place); 0 = never.' },
    cellSize: { key: 'cell_size', type: orAuto(positiveNumber), default: 'auto', doc: 'Cell of the uniform grid (`partition_strategy = "uniform-grid"`); "auto" = the program\'s own `.spatial({ cellSize })`.' },
  },
  network: {
    protocol: { key: 'protocol', type: oneOf(['quic', 'websocket', 'tcp']), default: 'quic', doc: 'Transport for client connections.' },
    listen: { key: 'listen', type: endpoint, default: '127.0.0.1:4433', doc: 'Where the gateway listens; loopback unless configured.' },
    maxConnections: { key: 'max_connections', type: integer(1, 10_000_000), default: 10_000, doc: 'Connections accepted at once.' },
    backpressure: { key: 'backpressure', type: oneOf(['bounded', 'dropping', 'sliding']), default: 'bounded', doc: 'Full outbound queue: "bounded" makes the sender wait, "dropping" drops the newest, "sliding" the oldest.' },
    queueCapacity: { key: 'queue_capacity', type: integer(1, 1_048_576), default: 1024, doc: 'Messages queued per connection before backpressure applies.' },
    idleTimeoutMs: { key: 'idle_timeout', type: duration(0, 24 * HOUR), default: '30s', doc: 'Close a connection silent this long; "0ms" = never.' },
  },
  telemetry: {
    exporter: { key: 'exporter', type: oneOf(['prometheus', 'none']), default: 'prometheus', doc: 'Metrics exporter.' },
    endpoint: { key: 'endpoint', type: endpoint, default: '127.0.0.1:9090', doc: 'Where metrics and the dashboard are served; binds all interfaces only when set to "0.0.0.0:…".' },
    sampleRate: { key: 'sample_rate', type: float(0, 1), default: 0.01, doc: 'Fraction of actors whose per-actor metrics are sampled.' },
    publishIntervalMs: { key: 'publish_interval', type: duration(10, HOUR), default: '1s', doc: 'How often /metrics is rendered on the engine\'s thread: every scrape within the interval gets the same render, so a scrape storm costs the tick loop one render per interval.' },
    dashboard: { key: 'dashboard', type: boolean, default: true, doc: 'Serve the live dashboard beside the metrics.' },
    maxConcurrentRequests: { key: 'max_concurrent_requests', type: integer(1, 100_000), default: 32, doc: 'Requests the exporter serves at once (dashboard streams excluded); more get 503 with Retry-After.' },
    authToken: { key: 'auth_token', type: token, default: '', doc: 'Token required on /metrics, the dashboard and its stream ("Authorization: Bearer <token>", or basic auth with the token as password); "" = none. Prefer the environment variable to a file.' },
  },
  supervision: {
    restartPolicy: { key: 'restart_policy', type: oneOf(['exponential-backoff', 'fixed-backoff', 'immediate', 'never']), default: 'exponential-backoff', doc: 'Delay before a failed actor restarts.' },
    strategy: { key: 'strategy', type: oneOf(['one-for-one', 'one-for-all', 'rest-for-one']), default: 'one-for-one', doc: 'Which siblings restart with a failed child (OTP).' },
    maxRestarts: { key: 'max_restarts', type: integer(0, 1_000_000), default: 10, doc: 'More restarts than this within `restart_window` escalate to the parent supervisor.' },
    restartWindowMs: { key: 'restart_window', type: duration(1, 24 * HOUR), default: '5s', doc: 'The period `max_restarts` counts over.' },
    backoffMinMs: { key: 'backoff_min', type: duration(0, HOUR), default: '10ms', doc: 'First backoff delay; must not exceed `backoff_max`. Actor backoffs are counted in ticks at the tick rate.' },
    backoffMaxMs: { key: 'backoff_max', type: duration(0, HOUR), default: '5s', doc: 'Largest backoff delay.' },
    resetAfterMs: { key: 'reset_after', type: duration(0, 24 * HOUR), default: '30s', doc: 'Running this long without a failure resets the backoff.' },
    isolation: { key: 'isolation', type: oneOf(['actor', 'partition', 'worker']), default: 'actor', doc: 'What a failure takes down with it.' },
  },
};

/** Name prefix of environment overrides. */
export const ENV_PREFIX = 'CONCURRENGINE_';

/** One key of the table, flattened for iteration. */
export interface KeyEntry {
  readonly section: keyof ConcurrengineConfig;
  /** Property name in the resolved config (`tickRateHz`). */
  readonly prop: string;
  /** TOML key name (`tick_rate`). */
  readonly key: string;
  /** `engine.tick_rate` */
  readonly keyPath: string;
  /** `CONCURRENGINE_ENGINE__TICK_RATE` */
  readonly envVar: string;
  readonly kind: string;
  readonly expected: string;
  readonly default: TomlScalar;
  readonly doc: string;
  /** A secret (`telemetry.auth_token`): shown to people hidden. */
  readonly secret: boolean;
  parse(raw: unknown, context: ParseContext): unknown;
  fromEnv(text: string): unknown;
  toToml(value: unknown): TomlScalar;
}

/** Section names in table order. */
export const SECTIONS = Object.keys(schema) as ReadonlyArray<keyof ConcurrengineConfig>;

/** Every key in table order. */
export const KEYS: readonly KeyEntry[] = Object.freeze(
  SECTIONS.flatMap((section) =>
    Object.entries(schema[section] as Record<string, KeySpec<unknown>>).map(([prop, spec]): KeyEntry => ({
      section,
      prop,
      key: spec.key,
      keyPath: `${section}.${spec.key}`,
      envVar: `${ENV_PREFIX}${section.toUpperCase()}__${spec.key.toUpperCase()}`,
      kind: spec.type.kind,
      expected: spec.type.expected,
      default: spec.default,
      doc: spec.doc,
      secret: spec.type.secret === true,
      parse: (raw, context): unknown | Invalid => spec.type.parse(raw, context),
      fromEnv: (t) => spec.type.fromEnv(t),
      toToml: (value) => spec.type.toToml(value),
    })),
  ),
);

// Nested maps: a lookup builds no `section.key` string (measured: 1.7 µs of a 30 µs load).
const BY_SECTION: ReadonlyMap<string, ReadonlyMap<string, KeyEntry>> = new Map(
  SECTIONS.map((section) => [section, new Map(KEYS.filter((k) => k.section === section).map((k) => [k.key, k]))]),
);

/** Key lookup by `section` then TOML key name. */
export function findKey(section: string, key: string): KeyEntry | undefined {
  return BY_SECTION.get(section)?.get(key);
}
