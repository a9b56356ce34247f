/**
 * A config file's say over a program's own builder calls (`.threads()`, `.seed()`,
 * `.supervise()`, …), for `Engine.builder().config(file)` and for `concurrengine run --config`
 * alike. Only the keys the file or a `CONCURRENGINE_*` variable set count: a key left at its
 * default keeps the program's choice (or the engine's default where the program made none), so
 * the same program simulates alike with and without a config — turning snapshots on with a file
 * that sets only `snapshot_interval` records the run the program makes without it (issue 15).
 *
 * Snapshots and the exporter have no builder call, and neither changes the simulation: for them
 * the file's defaults apply (`snapshot_interval = 600`, `snapshot_keep = 16`, `exporter =
 * "prometheus"`); see {@link snapshotsFromConfig}.
 */
import type { LoadedConfig, SupervisionConfig, ValueOrigin } from '@concurrengine/config';

import type { EngineOptions } from './engineImpl.js';
import type { TelemetryOptions } from './engineTelemetry.js';
import { hz } from './rate.js';
import { applySpatialOverride, spatialOverrideFromConfig, type SpatialOverride } from './spatialConfig.js';
import { supervisionOver } from './supervisionConfig.js';

/** What a loaded config sets over a program's options; every field is one the file or the environment set. */
export interface ConfigOverride {
  readonly threads?: number;
  readonly tickRateHz?: number;
  readonly seed?: number;
  /** `retain_ticks`: 0 turns the program's retention off. */
  readonly retainTicks?: number;
  /** The `[supervision]` keys set, in the config's units (durations in ms), merged key by key over `.supervise()`. */
  readonly supervision?: Partial<SupervisionConfig>;
  /**
   * `exporter` (set or its default "prometheus": a config file starts the exporter unless it
   * says "none"), and the `endpoint`, `sample_rate`, `publish_interval`, `max_concurrent_requests`
   * and `auth_token` set, over the program's `.telemetry()`.
   */
  readonly telemetry: TelemetryOptions & { readonly exporter: 'prometheus' | 'none' };
  /** `partition_strategy` and the `[spatial]` keys set. */
  readonly spatial: SpatialOverride;
}

const isSet = (origin: ValueOrigin | undefined): boolean => origin !== undefined && origin.kind !== 'default';

/** The keys of `loaded` that its file or environment set, as an override of a program's options. */
export function configOverrideFromConfig(loaded: LoadedConfig): ConfigOverride {
  const at = loaded.origins;
  const { engine, telemetry } = loaded.config;
  const supervision: Record<string, unknown> = {};
  for (const [prop, value] of Object.entries(loaded.config.supervision)) {
    // The resolved section's props (`backoffMinMs`) against their TOML keys (`supervision.backoff_min`).
    if (isSet(at[`supervision.${SUPERVISION_KEYS[prop as keyof SupervisionConfig]}`])) supervision[prop] = value;
  }
  return {
    ...(isSet(at['engine.threads']) ? { threads: engine.threads } : {}),
    ...(isSet(at['engine.tick_rate']) ? { tickRateHz: engine.tickRateHz } : {}),
    ...(isSet(at['engine.seed']) ? { seed: engine.seed } : {}),
    ...(isSet(at['engine.retain_ticks']) ? { retainTicks: engine.retainTicks } : {}),
    ...(Object.keys(supervision).length > 0 ? { supervision: supervision as Partial<SupervisionConfig> } : {}),
    telemetry: {
      exporter: telemetry.exporter,
      ...(isSet(at['telemetry.endpoint']) ? { endpoint: telemetry.endpoint } : {}),
      ...(isSet(at['telemetry.sample_rate']) ? { sampleRate: telemetry.sampleRate } : {}),
      ...(isSet(at['telemetry.publish_interval']) ? { publishIntervalMs: telemetry.publishIntervalMs } : {}),
      ...(isSet(at['telemetry.max_concurrent_requests']) ? { maxConcurrentRequests: telemetry.maxConcurrentRequests } : {}),
      ...(isSet(at['telemetry.auth_token']) ? { authToken: telemetry.authToken } : {}),
    },
    spatial: spatialOverrideFromConfig(loaded),
  };
}

const SUPERVISION_KEYS: Record<keyof SupervisionConfig, string> = {
  restartPolicy: 'restart_policy',
  strategy: 'strategy',
  maxRestarts: 'max_restarts',
  restartWindowMs: 'restart_window',
  backoffMinMs: 'backoff_min',
  backoffMaxMs: 'backoff_max',
  resetAfterMs: 'reset_after',
  isolation: 'isolation',
};

/**
 * `override` over `options`. `tickRateHz` is the rate the engine will run at (after every
 * layer and the host's flags): `[supervision]` durations become ticks at that rate.
 * @throws EngineError ENGINE_INVALID_ARGUMENT when a merged value is inconsistent (a program's
 * backoff against a config's, a program's spatial options against a config's).
 */
export function applyConfigOverride(options: EngineOptions, override: ConfigOverride | undefined, tickRateHz: number): EngineOptions {
  if (override === undefined) return options;
  const { telemetry: t } = override;
  const { exporter, ...setTelemetry } = t;
  const spatial = applySpatialOverride(options.spatial, override.spatial);
  const supervision = override.supervision ? supervisionOver(options.supervision, override.supervision, tickRateHz) : options.supervision;
  const retention = override.retainTicks === undefined ? options.retention : override.retainTicks > 0 ? { recent: override.retainTicks } : undefined;
  return {
    ...options,
    ...(override.threads !== undefined ? { threads: override.threads } : {}),
    ...(override.tickRateHz !== undefined ? { tickRate: hz(override.tickRateHz) } : {}),
    ...(override.seed !== undefined ? { seed: override.seed } : {}),
    spatial,
    supervision,
    retention,
    telemetry: exporter === 'none' ? undefined : { ...options.telemetry, ...setTelemetry },
  };
}

/** `[engine] snapshot_*`: where, how often and how many ticks to store; `false` for `snapshot_interval = 0`. */
export function snapshotsFromConfig(loaded: LoadedConfig): { readonly base: string; readonly every: number; readonly maxQueued: number; readonly keep: number } | false {
  const { snapshotIntervalTicks: every, snapshotDir: base, snapshotMaxQueued: maxQueued, snapshotKeep: keep } = loaded.config.engine;
  return every > 0 ? { base, every, maxQueued, keep } : false;
}
