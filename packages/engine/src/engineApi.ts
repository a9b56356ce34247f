/**
 * The engine's public interface. `Engine.builder()` (builder.ts) makes one; a test or an embedding
 * can also call `createEngine(options)` directly.
 */
import type { ActorInstance, ActorKind, ActorRef, EventType, MessageType, Payload, PayloadFields, Priority, Schema } from '@concurrengine/actors';
import type { SchedulerStats } from '@concurrengine/scheduler';

import type { EngineState } from '@concurrengine/lifecycle';

import type { HandlerErrorReport } from './boundary.js';
import type { RetentionStats } from './rollback.js';
import type { SnapshotCounters } from './snapshotWriter.js';
import type { SpatialStats } from './spatial.js';
import type { SupervisionCounters } from './supervision.js';
import type { EventListener } from './events.js';

export interface RunOptions {
  /** Stop after this many ticks. */
  readonly ticks?: number;
  /** Stop after this much wall time. */
  readonly durationMs?: number;
  /** Stop when aborted (Ctrl-C in the CLI). */
  readonly signal?: AbortSignal;
  /** Called after every tick with the tick just finished (keep it cheap: it is on the loop; call `engine.stats()` only when you need it). */
  readonly onTick?: (tick: number, engine: Engine) => void;
}

export interface RunSummary {
  readonly ticks: number;
  readonly elapsedMs: number;
  /** Achieved tick rate. */
  readonly hz: number;
  readonly overruns: number;
  /** True in a worker thread, where `run()` only joined the pool (and never settles). */
  readonly joined: boolean;
}

export interface EngineStats {
  /** The lifecycle state (running, paused, …). */
  readonly state: EngineState;
  readonly tick: number;
  readonly threads: number;
  readonly actors: number;
  readonly actorsByKind: Readonly<Record<string, number>>;
  /** Tick durations over the last 1024 ticks, in ms. */
  readonly tickMs: { readonly last: number; readonly p50: number; readonly p99: number };
  /**
   * Every tick since the engine started: p50, p99 (to 0.05 ms), the longest tick, in ms; how many;
   * and `long`, how many took more than two tick periods (33.3 ms at 60 Hz).
   */
  readonly tickMsSinceStart: { readonly p50: number; readonly p99: number; readonly max: number; readonly ticks: number; readonly long: number };
  /**
   * Ms from the first `step()`/`run()` to its first tick: the threads starting and importing the
   * actor modules, the spatial index's first build, the snapshot store, a restore (0 before). Not
   * counted in any tick's time.
   */
  readonly startMs: number;
  /** The current `run()` (or the last one): ticks run, wall-clock ms, achieved tick rate. */
  readonly run: { readonly ticks: number; readonly elapsedMs: number; readonly hz: number };
  readonly tickRateHz: number;
  readonly overruns: number;
  readonly eventsEmitted: number;
  readonly messagesSent: number;
  readonly deadLetters: number;
  readonly handlerFailures: number;
  readonly scheduler: SchedulerStats;
  /** Snapshot writes: written, skipped because the disk fell behind, failed (with the last error). */
  readonly snapshots?: SnapshotCounters;
  /** The spatial index (`options.spatial`): strategy, octree partitions, splits, merges, crossings, update time. */
  readonly spatial?: SpatialStats;
  /** Supervision: actors restarted, suspended for a backoff, removed; group restarts; escalations; jobs redone after a worker died. */
  readonly supervision?: SupervisionCounters & { readonly jobsRedone: number; readonly lastRedoMs: number };
}

export interface Engine {
  /** Registers kinds that handlers spawn but the program never spawns directly. */
  register(...kinds: ActorKind[]): Engine;
  /** Spawns `count` actors now (between ticks); `init(actor, i)` sets each one up. */
  spawn<I extends ActorInstance>(kind: ActorKind<Schema, I>, count?: number, init?: (actor: I, i: number) => void): Engine;
  /** Runs paced ticks at the tick rate until `options` or `stop()` ends it. */
  run(options?: RunOptions): Promise<RunSummary>;
  /** Runs `n` ticks at once, unpaced (tests, replays, stepping); the engine is paused before and after. */
  step(n?: number): Promise<void>;
  /**
   * Makes retained tick `tick` current (the world after `tick` ticks, messages in flight included)
   * and pauses there; running forward again reproduces the same states. Its cost grows with pages,
   * not with actors' bytes. Needs retention; throws `ENGINE_TICK_NOT_RETAINED` naming the ticks
   * retained, or `ENGINE_STATE` unless running or paused.
   */
  rewind(tick: number): Promise<void>;
  /** From `failed`: puts the latest retained tick back (when retaining) and pauses. */
  recover(): Promise<void>;
  /**
   * Fault drill: from the next tick, each actor's tick handler throws with probability
   * `handlerThrowRate`, and each job's worker dies mid-job with probability `workerExitRate`
   * (picked by a hash of seed, tick and actor or job: deterministic). 0 stops a drill.
   */
  drill(rates: { readonly handlerThrowRate?: number; readonly workerExitRate?: number }): void;
  /** Where the engine is in its lifecycle (created, running, paused, stepping, rewinding, …). */
  state(): EngineState;
  /** Called after every lifecycle transition. Returns the unsubscribe function. */
  onStateChange(listener: (state: EngineState, from: EngineState) => void): () => void;
  /** Retained ticks and the memory they hold; undefined without retention (or before the first tick). */
  retention(): RetentionStats | undefined;
  /** Ends `run()` after the current tick. */
  stop(): void;
  /** Despawns an actor now (between ticks). False if it was not alive. */
  despawn(ref: ActorRef): boolean;
  /** Delivers a message from outside at the start of the next tick. */
  send<F extends PayloadFields>(to: ActorRef, message: MessageType<F>, payload: Payload<F>, options?: { readonly priority?: Priority }): void;
  /** Like `send`, but waits for room when the inbox's tier is full (back-pressure) instead of throwing `ENGINE_INBOX_FULL`. */
  sendAsync<F extends PayloadFields>(to: ActorRef, message: MessageType<F>, payload: Payload<F>, options?: { readonly priority?: Priority; readonly signal?: AbortSignal }): Promise<void>;
  /** Subscribes to an event type; listeners get one batch per tick. Returns the unsubscribe function. */
  on<F extends PayloadFields>(event: EventType<F>, listener: EventListener<F>): () => void;
  /** Called with every handler that threw (actor, kind, tick, message). */
  onHandlerError(listener: (report: HandlerErrorReport) => void): () => void;
  /**
   * 16 hex digits over every actor's state and the tick: equal for equal worlds, for any thread
   * count. With `exclude`, over every live actor but those (actor by actor: slower), which is how a
   * fault drill checks that faults stayed inside the actors they hit.
   */
  stateHash(options?: { readonly exclude?: Iterable<ActorRef> }): string;
  /** Changes the thread count at the next tick boundary. */
  resize(threads: number): Promise<void>;
  /** Re-imports `moduleUrl` in every thread and swaps in its kinds' handlers; actor state is kept. */
  reload(moduleUrl: string | URL): Promise<readonly string[]>;
  /** Reads one actor (between ticks). */
  view<I extends ActorInstance>(kind: ActorKind<Schema, I>, ref: ActorRef): I;
  /** Refs of every live actor of a kind, in slot order (which changes at the octree strategy's spatial sorts). */
  refs(kind: ActorKind): ActorRef[];
  stats(): EngineStats;
  /** Where the metrics exporter and dashboard listen, once telemetry started (first tick). */
  telemetryUrl(): string | undefined;
  /** Stops the threads. */
  close(): Promise<void>;
}
