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
import { supervisionFromConfig } from './supervisionConfig.js';
import type { SupervisionOptions } from './supervision.js';
import type { SpatialOptions } from './spatial.js';
import { applySpatialOverride, spatialOverrideFromConfig, type SpatialOverride } from './spatialConfig.js';

export class EngineBuilder {
  private options: { -readonly [K in keyof EngineOptions]: EngineOptions[K] } = {};
  private loaded: LoadedConfig | undefined;
  /** From `config(file)`: where and how often to store ticks (`false`: snapshot_interval = 0). */
  private configSnapshots: { readonly base: string; readonly every: number; readonly maxQueued: number } | false | undefined;
  /** From `config(file)`: `partition_strategy` and the `[spatial]` keys the file or the environment set. */
  private configSpatial: SpatialOverride | undefined;

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
   * Reads threads, tick rate, seed, telemetry, snapshots, supervision (`[supervision]`),
   * retention (`retain_ticks`) and the spatial index (`partition_strategy`, `[spatial]`: only the
   * keys set, over `.spatial(…)`) from a TOML file (and CONCURRENGINE_* environment overrides). With `snapshot_interval` > 0, `build()` stores every that many ticks
   * in a new `<snapshot_dir>/run-<UTC timestamp>-<pid>` (relative to the working directory) and
   * deletes all but the 3 newest `run-*` directories there.
   */
  config(file: string): this {
    this.loaded = loadConfig({ file, env: process.env });
    const engine = this.loaded.config.engine;
    this.options.threads = engine.threads;
    this.options.tickRate = hz(engine.tickRateHz);
    this.options.seed = engine.seed;
    const telemetry = this.loaded.config.telemetry;
    if (telemetry.exporter === 'prometheus') this.options.telemetry = { endpoint: telemetry.endpoint, sampleRate: telemetry.sampleRate };
    this.configSnapshots = engine.snapshotIntervalTicks > 0 ? { base: engine.snapshotDir, every: engine.snapshotIntervalTicks, maxQueued: engine.snapshotMaxQueued } : false;
    Object.assign(this.options, supervisionFromConfig(this.loaded.config));
    this.configSpatial = spatialOverrideFromConfig(this.loaded);
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
   * `{ strategy: 'adaptive-octree', bounds?, splitAbove?, mergeBelow?, reorderEvery? }`. A `partition_strategy`
   * and `[spatial]` keys set in `config(file)` override these (see README, "Spatial strategies").
   */
  spatial(options: SpatialOptions): this {
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
    // The program's options, then its config file's, then the host's (a replay's are exact).
    const spatial = applySpatialOverride(applySpatialOverride(this.options.spatial, this.configSpatial), host?.spatial);
    const engine = createEngine({
      ...this.options,
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
    return { dir: createSnapshotRunDir(configured.base), every: configured.every, maxQueued: configured.maxQueued };
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
