/**
 * `Engine.builder()`: the short way to the brief's example.
 *
 * ```ts
 * Engine.builder().threads(2).tickRate(hz(60)).build().spawn(GameEntity, 1_000_000).run();
 * ```
 *
 * In a worker thread that is importing the program's module to learn its actor kinds, `build()`
 * returns a joining engine instead: `spawn` and `register` only register kinds, and `run()` tells
 * the worker the kinds are known and never settles (the worker serves the real engine's pool).
 */
import { loadConfig, type LoadedConfig } from '@concurrengine/config';
import type { ActorKind } from '@concurrengine/actors';
import type { RetentionPolicy } from '@concurrengine/lifecycle';
import type { Scheduler } from '@concurrengine/scheduler';

import { createEngine, type EngineOptions } from './engineImpl.js';
import type { TelemetryOptions } from './engineTelemetry.js';
import type { Engine as EngineApi, RunSummary } from './engineApi.js';
import { EngineError } from './errors.js';
import { engineHost, type EngineHost } from './host.js';
import { joiningState } from './joining.js';
import { registerKind } from './kindRegistry.js';
import { hz, type TickRate } from './rate.js';
import { createSnapshotRunDir } from './snapshotRuns.js';
import { applyConfigOverride, configOverrideFromConfig, snapshotsFromConfig, type ConfigOverride } from './configOverride.js';
import type { SupervisionOptions } from './supervision.js';
import type { EngineSpatial } from './spatial.js';
import { applySpatialOverride } from './spatialConfig.js';

export class EngineBuilder {
  private options: { -readonly [K in keyof EngineOptions]: EngineOptions[K] } = {};
  private loaded: LoadedConfig | undefined;
  /** From `config(file)`: where, how often and how many ticks to store (`false`: snapshot_interval = 0). */
  private configSnapshots: ReturnType<typeof snapshotsFromConfig> | undefined;
  /** From `config(file)`: the keys the file or the environment set, applied over the program's calls at `build()`. */
  private configOverride: ConfigOverride | undefined;

  threads(n: number): this {
    this.options.threads = n;
    return this;
  }
  tickRate(rate: TickRate): this {
    this.options.tickRate = rate;
    return this;
  }
  seed(seed: number): this {
    this.options.seed = seed;
    return this;
  }
  /**
   * Reads threads, tick rate, seed, supervision (`[supervision]`), retention (`retain_ticks`), the
   * spatial index (`partition_strategy`, `[spatial]`), telemetry and snapshots from a TOML file
   * (and CONCURRENGINE_* environment overrides). Only the keys the file or the environment set
   * apply, over the program's own calls (before or after this one): a key left out keeps the
   * program's `.seed()`, `.supervise()`, … (see README, "Configuration"). Snapshots follow the
   * file's `snapshot_*` keys, defaults included: with `snapshot_interval` > 0 (default 600),
   * `build()` stores every that many ticks in a new `<snapshot_dir>/run-<UTC timestamp>-<pid>`
   * (relative to the working directory), keeps the newest `snapshot_keep` stored ticks there, and
   * deletes all but the 3 newest `run-*` directories; the exporter starts unless `exporter = "none"`.
   */
  config(file: string): this {
    this.loaded = loadConfig({ file, env: process.env });
    this.configSnapshots = snapshotsFromConfig(this.loaded);
    this.configOverride = configOverrideFromConfig(this.loaded);
    return this;
  }
  /** Supervises actors (restart in place, backoff in ticks, escalation); `config(file)` sets it from `[supervision]`. */
  supervise(options: SupervisionOptions): this {
    this.options.supervision = options;
    return this;
  }
  /** Keeps sealed ticks for `engine.rewind()`: the last `recent`, plus every `every`-th for the last `keepEvery` of those. */
  retain(retention: RetentionPolicy): this {
    this.options.retention = retention;
    return this;
  }
  /**
   * Enables `ctx.neighbours()`: `{ cellSize }` a uniform grid (cell about your query radius), or
   * `{ strategy: 'adaptive-octree', bounds?, splitAbove?, mergeBelow?, reorderEvery? }`, or a
   * `SpatialStrategy` object from `@concurrengine/spatial` (`adaptiveOctree()`, `uniformGrid()`, or
   * your own). A `partition_strategy` and `[spatial]` keys set in `config(file)` override these
   * (see README, "Spatial strategies").
   */
  spatial(options: EngineSpatial): this {
    this.options.spatial = options;
    return this;
  }
  /** Starts the Prometheus exporter and live dashboard with the engine. */
  telemetry(options: TelemetryOptions = {}): this {
    this.options.telemetry = options;
    return this;
  }
  scheduler(scheduler: Scheduler): this {
    this.options.scheduler = scheduler;
    return this;
  }
  actorModules(...urls: (string | URL)[]): this {
    this.options.actorModules = urls;
    return this;
  }
  /** The configuration `config(file)` loaded, with the origin of each value. */
  get loadedConfig(): LoadedConfig | undefined {
    return this.loaded;
  }
  build(): EngineApi {
    const joining = joiningState();
    if (joining) return joiningEngine(joining.resolve);
    const host = engineHost();
    const o = host?.overrides;
    const snapshots = this.snapshotsFor(host?.snapshots);
    // The program's calls, then its config file's keys, then the host's config file's, then the
    // host's flags and exact options (a replay's). Durations convert at the rate that wins.
    const tickRateHz = o?.tickRateHz ?? host?.config?.tickRateHz ?? this.configOverride?.tickRateHz ?? this.options.tickRate?.hz ?? 60;
    const configured = applyConfigOverride(applyConfigOverride(this.options, this.configOverride, tickRateHz), host?.config, tickRateHz);
    const spatial = applySpatialOverride(configured.spatial, host?.spatial);
    const engine = createEngine({
      ...configured,
      ...(spatial ? { spatial } : { spatial: undefined }),
      ...(o?.threads !== undefined ? { threads: o.threads } : {}),
      ...(o?.seed !== undefined ? { seed: o.seed } : {}),
      ...(o?.tickRateHz !== undefined ? { tickRate: hz(o.tickRateHz) } : {}),
      ...(!this.options.actorModules && host?.programModule ? { actorModules: [host.programModule] } : {}),
      ...(host?.telemetry ? { telemetry: host.telemetry } : {}),
      ...(snapshots ? { snapshots } : {}),
      ...(host?.restore ? { restore: host.restore } : {}),
      ...(host?.supervision ? { supervision: host.supervision } : {}),
      ...(host?.retention ? { retention: host.retention } : {}),
    });
    host?.onEngine?.(engine);
    return engine;
  }
  /** The host's policy wins; else `config(file)`'s, in a new run directory. */
  private snapshotsFor(hosted: EngineHost['snapshots']): EngineOptions['snapshots'] {
    if (hosted !== undefined) return hosted === false ? undefined : hosted;
    const configured = this.configSnapshots;
    if (!configured) return undefined;
    return { dir: createSnapshotRunDir(configured.base), every: configured.every, maxQueued: configured.maxQueued, keep: configured.keep };
  }
}

/** The engine's interface (type) and the entry point to build one (value). */
export type Engine = EngineApi;
export const Engine = {
  builder: (): EngineBuilder => new EngineBuilder(),
};

function joiningEngine(joined: () => void): EngineApi {
  const refuse = (what: string) => (): never => {
    throw new EngineError('ENGINE_NOT_RUNNING', `${what} in a worker thread: this engine only joined the pool`);
  };
  const engine: EngineApi = {
    register(...kinds: ActorKind[]) {
      kinds.forEach(registerKind);
      return engine;
    },
    spawn(kind: ActorKind) {
      registerKind(kind);
      return engine;
    },
    run(): Promise<RunSummary> {
      joined();
      return new Promise<RunSummary>(() => undefined);
    },
    step: refuse('step()'),
    rewind: refuse('rewind()'),
    drill: refuse('drill()'),
    recover: refuse('recover()'),
    state: () => 'running',
    onStateChange: () => () => undefined,
    retention: () => undefined,
    stop: () => undefined,
    send: refuse('send()'),
    sendAsync: async () => refuse('sendAsync()')(),
    despawn: refuse('despawn()'),
    on: () => () => undefined,
    onHandlerError: () => () => undefined,
    stateHash: refuse('stateHash()'),
    resize: refuse('resize()'),
    reload: refuse('reload()'),
    view: refuse('view()'),
    refs: () => [],
    telemetryUrl: () => undefined,
    stats: refuse('stats()'),
    close: async () => undefined,
  };
  return engine;
}
