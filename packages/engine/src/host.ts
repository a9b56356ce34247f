/**
 * A host is a tool that runs a user's program and wants a say in how its engine runs — the
 * `concurrengine run` command: it overrides threads, seed and tick rate from its flags and config
 * file, supplies the run's limits and abort signal, and watches every tick for its status line.
 * The program itself stays the brief's one-liner; without a host nothing changes.
 */
import type { ConfigOverride } from './configOverride.js';
import type { Engine, RunOptions } from './engineApi.js';
import type { TelemetryOptions } from './engineTelemetry.js';
import type { SnapshotPolicy } from './snapshotWriter.js';
import type { RetentionPolicy } from '@concurrengine/lifecycle';
import type { SpatialOverride } from './spatialConfig.js';
import type { SupervisionOptions } from './supervision.js';

export interface EngineHost {
  /** Applied by `build()` over what the program's builder set and every config file (the host's flags). */
  readonly overrides?: { readonly threads?: number; readonly seed?: number; readonly tickRateHz?: number };
  /**
   * The host's config file (`concurrengine run --config`): the keys it or the environment set,
   * over the program's calls and its own `config(file)`, below `overrides`. Build it with
   * `configOverrideFromConfig(loaded)`.
   */
  readonly config?: ConfigOverride;
  /** Telemetry to start with the engine (the host's config file or flags). */
  readonly telemetry?: TelemetryOptions;
  /** The program's module, for workers to import when the program named none (the host's own entry is not it). */
  readonly programModule?: string;
  /** Used by `run()` for every option the program did not give. */
  readonly runDefaults?: RunOptions;
  /**
   * Snapshots to disk for the engine `build()` makes, over the program's (`config(file)`): a
   * directory of this run's own (a store takes only ticks above its latest), or `false` for none.
   */
  readonly snapshots?: (SnapshotPolicy & { readonly dir: string }) | false;
  /** Start the engine `build()` makes from this tick of the store in `dir` (`concurrengine replay`). */
  readonly restore?: { readonly dir: string; readonly tick: number };
  /** Supervision and retention from the host's config file, over the program's. */
  readonly supervision?: SupervisionOptions;
  readonly retention?: RetentionPolicy;
  /**
   * The spatial index over the program's and its config file's: the host's config (only the keys
   * it set) for `concurrengine run`, or a stored tick's options with `exact` for a replay.
   */
  readonly spatial?: SpatialOverride;
  /** Told when an engine finished its restore (at the tick asked for, before any new tick). */
  onRestored?(engine: Engine): void;
  /** Told about every engine `build()` makes. */
  onEngine?(engine: Engine): void;
}

const HOST = Symbol.for('concurrengine.engine.host');

/** Installs (or, with undefined, removes) the host of this thread. */
export function experimental_setEngineHost(host: EngineHost | undefined): void {
  (globalThis as Record<symbol, unknown>)[HOST] = host;
}

export function engineHost(): EngineHost | undefined {
  return (globalThis as Record<symbol, unknown>)[HOST] as EngineHost | undefined;
}
