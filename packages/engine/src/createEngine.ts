/**
 * The engine: wires a world of actor kinds, a scheduler, the event hub and the tick loop. It owns
 * no algorithm of its own; each part is a package behind an interface, and the scheduler can be
 * swapped (`options.scheduler`) or resized at a tick boundary.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';

import { refHandle, type ActorInstance, type ActorKind, type ActorRef, type Schema } from '@concurrengine/actors';
import { createInlineScheduler, createPoolScheduler, type JobModuleRef, type Scheduler } from '@concurrengine/scheduler';

import type { RetentionPolicy } from '@concurrengine/lifecycle';

import type { HandlerErrorReport } from './boundary.js';
import { LifecycleGate } from './lifecycleGate.js';
import type { SnapshotStore } from '@concurrengine/snapshot';
import type { SnapshotPolicy } from './snapshotWriter.js';
import { rewindEngine } from './rewind.js';
import { EngineSupervision, type SupervisionOptions } from './supervision.js';
import { drillRate } from './drill.js';
import type { Engine, EngineStats, RunOptions, RunSummary } from './engineApi.js';
import { EngineThread } from './engineThread.js';
import { EngineError } from './errors.js';
import { EventHub } from './events.js';
import { EventTrace } from './eventTrace.js';
import { allocateMessagePlane } from './messageRouting.js';
import { MessagePlane } from './messagePlane.js';
import { samplePartitions } from './partitionSample.js';
import { createLocalChannel } from '@concurrengine/channels';
import { claimSpatial, prepareSpatial, type EngineSpatial } from './spatial.js';
import { storedSpatialOf } from './storedSpatial.js';
import { allocateOutbox } from './outbox.js';
import { Pacer, systemClock, type Clock } from './pacing.js';
import { CONTROL_WORDS, CTL_DRILL_EXIT, CTL_DRILL_THROW, CTL_SEED, MAX_THREADS, OUTBOXES, STAT_DEAD_LETTERS, STAT_EMITTED, STAT_SENT, STATS_PER_THREAD, type EngineSetupData } from './protocol.js';
import { encodeExternalSend } from './externalSend.js';
import { TickCore } from './tickCore.js';
import { TickTimes } from './tickTimes.js';
import { engineHost } from './host.js';
import { countTransitions, type TelemetryOptions } from './engineTelemetry.js';
import type { InfrastructureOptions } from './infrastructure.js';
import { startSupervisedTelemetry } from './telemetryStart.js';
import { attachStorage } from './engineStorage.js';
import type { Supervisor } from '@concurrengine/supervisor';
import type { RunningTelemetry } from '@concurrengine/telemetry';
import { installReloadHook, swapHandlers, uninstallReloadHook } from './worker/reload.js';
import { World } from './world.js';
import type { TickRate } from './rate.js';
import { hz } from './rate.js';

export interface EngineOptions {
  readonly threads?: number;
  readonly tickRate?: TickRate;
  readonly seed?: number;
  /** Modules that define the actor kinds, imported by every worker (default: the program's entry module). */
  readonly actorModules?: readonly (string | URL)[];
  /** Your own scheduler; the engine then neither resizes nor closes it. */
  readonly scheduler?: Scheduler;
  readonly clock?: Clock;
  /** Messages from outside (`send`) that may wait per priority tier before the next tick; default 65 536. */
  readonly inboxCapacity?: number;
  /**
   * Enables `ctx.neighbours()` over every kind with a `position` vec3 field, as it stood at the end
   * of the previous tick: `{ cellSize }` a uniform grid rebuilt at each boundary (pick a cell about
   * the query radius); `{ strategy: 'adaptive-octree', bounds?, splitAbove?, mergeBelow?, reorderEvery? }` an
   * octree updated incrementally, whose leaves are the partitions telemetry and job placement use;
   * or a `SpatialStrategy` object (`@concurrengine/spatial`: `uniformGrid()`, `adaptiveOctree()`,
   * or your own), which belongs to this engine alone.
   */
  readonly spatial?: EngineSpatial;
  /** Start the Prometheus exporter and dashboard with the engine (off by default). */
  readonly telemetry?: TelemetryOptions;
  /**
   * Keep sealed ticks for `rewind()`: the last `recent` ticks, plus every `every`-th tick for the
   * last `keepEvery` of those. Off by default (no copy-on-write, no cost).
   */
  readonly retention?: RetentionPolicy;
  /**
   * Store every `every`-th tick in a snapshot store (a directory, or a store of your own), written
   * off the tick loop; `rewind()` past the retained window falls back to it.
   */
  readonly snapshots?: SnapshotPolicy & { readonly dir?: string; readonly store?: SnapshotStore };
  /**
   * Start from a stored tick instead of the spawned world: the nearest stored tick at or before
   * `tick` is loaded and the ticks up to `tick` re-execute with the stored inputs (replay).
   */
  readonly restore?: { readonly dir?: string; readonly store?: SnapshotStore; readonly tick: number };
  /** The program's module, recorded with stored ticks so `concurrengine replay` can load it. */
  readonly program?: string;
  /**
   * Supervise actors: a handler that throws is restarted in place by its kind's policy (backoff
   * in ticks, intensity, escalation). A worker that dies mid-tick has its jobs redone from the
   * tick's pre-job copies — which needs retention (at least `{ recent: 1 }`).
   */
  readonly supervision?: SupervisionOptions;
  /** Backoff and intensity of the infrastructure supervisors (exporter, snapshot store); wall-clock ms. */
  readonly infrastructure?: InfrastructureOptions;
}

// The worker side ships as TypeScript under tests (source condition) and as JavaScript in dist.
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const ENGINE_JOBS = new URL(`./worker/engineJobs${EXT}`, import.meta.url).href;
const RELOAD_JOBS = new URL(`./worker/reloadJobs${EXT}`, import.meta.url).href;

function checkThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new EngineError('ENGINE_INVALID_ARGUMENT', `threads must be an integer in [1, ${MAX_THREADS}]; got ${String(threads)}`);
  }
  return threads;
}

export function createEngine(options: EngineOptions = {}): Engine {
  let threads = checkThreads(options.threads ?? Math.min(availableParallelism(), MAX_THREADS));
  const rate = options.tickRate ?? hz(60);
  const clock = options.clock ?? systemClock;
  const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
  const stats = new SharedArrayBuffer(OUTBOXES * STATS_PER_THREAD * 8);
  const outboxes = Array.from({ length: OUTBOXES }, allocateOutbox);
  const controlWords = new Int32Array(control);
  Atomics.store(controlWords, CTL_SEED, (options.seed ?? 1) | 0);
  const actorModules = (options.actorModules ?? (process.argv[1] ? [pathToFileURL(process.argv[1])] : [])).map((u) => new URL(u).href);

  const messages = allocateMessagePlane();
  const spatial = prepareSpatial(options.spatial);
  // External input enters through a bounded channel with priority tiers: the critical tier is
  // taken first, and a producer outpacing the ticks meets back-pressure (sendAsync) or a typed error.
  const inbox = createLocalChannel<Float64Array>({ capacity: options.inboxCapacity ?? 65_536 });
  // Tracing is on with telemetry (sample_rate defaults to 0.01 there).
  const trace = new EventTrace(controlWords, options.telemetry ? (options.telemetry.sampleRate ?? 0.01) : undefined);
  const world = new World();
  if (options.supervision?.restartFrom === 'last-sealed' && !options.retention) {
    throw new EngineError('ENGINE_INVALID_ARGUMENT', 'supervision.restartFrom = "last-sealed" restarts actors from the last sealed tick: enable retention (at least { recent: 1 })');
  }
  const supervision = options.supervision ? new EngineSupervision(world, options.supervision, options.seed ?? 1) : undefined;
  if (supervision) world.onSpawn = (kindId, handle) => supervision.forget(kindId, handle);
  const readControls = () => ({ handlerThrowRate: Atomics.load(controlWords, CTL_DRILL_THROW) / 0x7fffffff, workerExitRate: Atomics.load(controlWords, CTL_DRILL_EXIT) / 0x7fffffff });
  const setDrill = (handlerThrowRate: number, workerExitRate: number) => {
    Atomics.store(controlWords, CTL_DRILL_THROW, drillRate(handlerThrowRate));
    Atomics.store(controlWords, CTL_DRILL_EXIT, drillRate(workerExitRate));
  };
  const hub = new EventHub(controlWords);
  const errorListeners = new Set<(report: HandlerErrorReport) => void>();
  // A long tick: more than two periods (the budget the brief's 60 Hz allows a late tick).
  const times = new TickTimes(1024, 2 * rate.periodMs);
  /** The current or last run(): ticks, ms, achieved Hz (stats().run). */
  let runRate = { ticks: 0, elapsedMs: 0, hz: 0 };
  let failures = 0;
  let core: TickCore | undefined;
  let mainThread: EngineThread | undefined;
  let scheduler: Scheduler | undefined = options.scheduler;
  let reloads = 0;
  const reloadData: { moduleUrl: string; generation: number }[] = [];
  let running = false;
  const gate = new LifecycleGate();
  let stopRequested = false;
  let closed = false;
  let pacer: Pacer | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let telemetry: Promise<RunningTelemetry | undefined> | undefined;
  let recorder: RunningTelemetry | undefined;
  /** Supervisors of the services that retry with wall-clock backoff (the exporter, the snapshot store). */
  const infrastructure: Supervisor[] = [];

  const setupData = (): EngineSetupData => ({
    control,
    stats,
    outboxes,
    kinds: world.stores.map((store, kindId) => ({ kindId, descriptor: store.describe() })),
    actorModules,
    delta: rate.delta,
    messages,
    ...(spatial ? { spatial: spatial.thread } : {}),
  });
  const report = (reports: HandlerErrorReport[]) => {
    failures += reports.length;
    for (const r of reports) for (const listener of errorListeners) listener(r);
  };
  const makeScheduler = (n: number): Scheduler => {
    const jobModules: JobModuleRef[] = [{ url: ENGINE_JOBS, data: setupData() }];
    return n === 1 ? createInlineScheduler({ jobModules }) : createPoolScheduler({ threads: n, maxThreads: MAX_THREADS, jobModules });
  };
  /** The kinds are fixed once the threads start: that is when workers attach to their pages. */
  const start = (): TickCore => {
    if (closed) throw new EngineError('ENGINE_CLOSED', 'the engine is closed');
    if (!core) {
      if (world.kinds.length === 0) throw new EngineError('ENGINE_NOT_RUNNING', 'nothing to run: spawn or register an actor kind first');
      const main = new EngineThread(setupData());
      mainThread = main;
      installReloadHook(main);
      scheduler ??= makeScheduler(threads);
      core = new TickCore(
        world,
        main,
        hub,
        report,
        spatial?.writer,
        inbox.receiver,
        new MessagePlane(messages, world),
        trace.observe,
        options.retention,
      );
      core.applyDrill = setDrill;
      if (core.rollback) core.rollback.controls = { read: readControls, write: (c) => setDrill(c.handlerThrowRate, c.workerExitRate) };
      if (supervision) {
        core.supervision = supervision;
        if (core.rollback) core.rollback.supervision = supervision;
      }
    }
    return core;
  };
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const next = queue.then(op, op);
    queue = next.catch(() => undefined);
    return next;
  };
  const telemetryView = {
    threads: () => scheduler?.stats().workers ?? [],
    mailboxDepth: () => core?.messages.depth ?? [],
    inbox: () => inbox.stats(),
    actors: () => world.stores.map((s, i) => ({ kind: world.kinds[i]!.name, count: s.liveCount })),
    eventsEmitted: () => counter(STAT_EMITTED),
    lifecycle: () => gate.state,
    partitions: () => spatial?.writer.partitions?.() ?? samplePartitions(world.stores),
    supervision: () => supervision && { ...supervision.stats(), jobsRedone: core?.recovery.redone ?? 0, lastRedoMs: core?.recovery.lastMs ?? 0 },
    snapshots: () => core?.snapshots?.stats(),
    retention: () => core?.rollback?.stats(),
    transitions: countTransitions((count) => gate.subscribe((t) => count(t.to))),
    spatial: () => spatial?.writer.stats(),
  };
  const startTelemetryOnce = () =>
    (telemetry ??= options.telemetry
      ? startSupervisedTelemetry(telemetryView, options.telemetry, rate.delta, options.infrastructure, {
          started: (running) => (recorder = running),
          supervised: (supervisor) => infrastructure.push(supervisor),
          closed: () => closed,
        })
      : Promise.resolve(undefined));
  /** The first run() or step() starts the engine: created → starting → running or paused. */
  const startOnce = (operation: 'run()' | 'step()') => {
    if (gate.state !== 'created') return false;
    start();
    gate.enter('start', operation);
    gate.enter(operation === 'run()' ? 'started' : 'startedPaused', operation);
    return true;
  };
  let userSchedulerReady = !options.scheduler;
  let threadsReady = false;
  let startMs = 0;
  let storageReady = !options.snapshots && !options.restore;
  /** Opens the snapshot store and performs a restore, once, before the first tick. */
  const prepareStorage = async (tickCore: TickCore) => {
    storageReady = true;
    await attachStorage(tickCore, world, {
      ...(options.snapshots ? { snapshots: options.snapshots } : {}),
      ...(options.restore ? { restore: options.restore } : {}),
      describe: {
        seed: options.seed ?? 1,
        program: options.program ?? engineHost()?.programModule,
        tickRateHz: rate.hz,
        journal: (from, to) => tickCore.journal.between(from, to),
        ...(supervision ? { supervision: () => supervision.toStored(), supervisionOptions: options.supervision! } : {}),
        controls: readControls,
        spatialBounds: () => spatial?.writer.bounds?.(),
        spatialOptions: () => storedSpatialOf(options.spatial),
        compacted: (oldest) => tickCore.journal.trimBefore(Math.min(oldest ?? Infinity, tickCore.rollback?.oldest ?? Infinity)),
      },
      ...(options.infrastructure ? { infrastructure: options.infrastructure } : {}),
      supervised: (supervisor) => infrastructure.push(supervisor),
      runUntil: (tick) => runUntil(tickCore, tick),
      restored: () => engineHost()?.onRestored?.(engine),
    });
  };
  /** Re-executes ticks up to `tick` (after a restore from disk), with the recorded inputs. */
  const runUntil = async (tickCore: TickCore, tick: number) => {
    while (tickCore.tick < tick) await tickCore.run(scheduler!, threads);
  };
  /** Everything the first tick needs that may take a while: the user's scheduler, the snapshot store, a restore. */
  const prepare = async (): Promise<TickCore> => {
    const preparing = clock.now();
    const tickCore = start();
    if (!userSchedulerReady) {
      // A scheduler of the user's own has not seen the engine's jobs yet.
      await options.scheduler!.loadJobModule({ url: ENGINE_JOBS, data: setupData() });
      userSchedulerReady = true;
    }
    if (!storageReady) await prepareStorage(tickCore);
    if (!threadsReady) {
      // The pool's threads start and import the program in parallel with the above; wait for
      // them here, so that the first tick's time is a tick's (~0.8 s of start-up at 1M otherwise).
      try {
        await scheduler!.ready?.();
      } catch (error) {
        // A thread that could not start fails the engine, as a tick's failure does (run() settles its own).
        if (gate.state === 'stepping') gate.settle('fail');
        throw error;
      }
      threadsReady = true;
      startMs += clock.now() - preparing;
    }
    return tickCore;
  };
  const oneTick = async () => {
    const tickCore = await prepare();
    trace.beginTick(world.actorCount);
    if (!telemetry) await startTelemetryOnce();
    const began = clock.now();
    try {
      await tickCore.run(scheduler!, threads);
    } catch (error) {
      // A tick that threw (not a handler: those are caught per actor) leaves the world between
      // ticks; the engine refuses to go on until recover() puts a sealed tick back.
      gate.settle('fail');
      throw error;
    }
    const elapsed = clock.now() - began;
    times.add(elapsed);
    recorder?.recordTick(elapsed / 1000, tickCore.tick - 1);
    trace.flush(recorder, tickCore.tick - 1);
  };
  const counter = (stat: number) => {
    const values = new Float64Array(stats);
    let sum = 0;
    for (let i = 0; i < OUTBOXES; i++) sum += values[i * STATS_PER_THREAD + stat]!;
    return sum;
  };

  const engine: Engine = {
    register(...kinds) {
      for (const kind of kinds) {
        if (core && world.idOf(kind) === undefined) throw new EngineError('ENGINE_BUSY', `register(${kind.name}) after the engine started: register every kind before the first tick`);
        world.register(kind);
      }
      return engine;
    },
    spawn<I extends ActorInstance>(kind: ActorKind<Schema, I>, count = 1, init?: (actor: I, i: number) => void) {
      if (running || core?.inTick) throw new EngineError('ENGINE_BUSY', 'spawn() while running: use ctx.spawn() inside handlers, or spawn between run() or step() calls');
      if (!Number.isInteger(count) || count < 0) throw new EngineError('ENGINE_INVALID_ARGUMENT', `spawn count must be a non-negative integer; got ${String(count)}`);
      // Kinds are fixed once started; more actors of a known kind are fine (workers follow growth).
      engine.register(kind);
      const kindId = world.idOf(kind)!;
      const store = world.stores[kindId]!;
      if (!core) {
        store.spawnMany(count, init as ((actor: ActorInstance, i: number) => void) | undefined);
        return engine;
      }
      // Once the engine started, spawns are inputs: journaled with their field values for replay.
      const journal = core.journal;
      journal.diverge(core.tick);
      core.snapshots?.forgetAfter(core.tick);
      for (let i = 0; i < count; i++) {
        const ref = store.spawn(init ? (a) => (init as (actor: ActorInstance, i: number) => void)(a, i) : undefined);
        world.onSpawn?.(kindId, refHandle(ref));
        journal.record({ tick: core.tick, kind: 'spawn', kindId, lanes: world.lanesOf(ref) });
      }
      return engine;
    },
    async run(given: RunOptions = {}): Promise<RunSummary> {
      const runOptions: RunOptions = { ...engineHost()?.runDefaults, ...given };
      if (running) throw new EngineError('ENGINE_BUSY', 'run() is already running');
      if (closed) throw new EngineError('ENGINE_CLOSED', 'the engine is closed');
      if (!startOnce('run()')) gate.enter('resume', 'run()');
      running = true;
      stopRequested = false;
      try {
        await serial(prepare); // a restore happens before the first paced tick (and for run({ ticks: 0 }))
      } catch (error) {
        running = false;
        gate.settle('fail');
        throw error;
      }
      const began = clock.now();
      let ran = 0;
      pacer = new Pacer(clock, rate.periodMs);
      const deadline = runOptions.durationMs !== undefined ? began + runOptions.durationMs : Infinity;
      try {
        pacer.start();
        while (!(stopRequested || runOptions.signal?.aborted || (runOptions.ticks !== undefined && ran >= runOptions.ticks) || clock.now() >= deadline)) {
          // rewind() (or a failure) between ticks moves the engine out of running: the run ends there.
          const ticked = await serial(async () => (gate.state === 'running' ? (await oneTick(), true) : false));
          if (!ticked) break;
          ran++;
          const sinceBegan = clock.now() - began;
          runRate = { ticks: ran, elapsedMs: sinceBegan, hz: sinceBegan > 0 ? (ran * 1000) / sinceBegan : 0 };
          runOptions.onTick?.(core!.tick - 1, engine);
          await pacer.next();
        }
      } finally {
        running = false;
        if (gate.state === 'running') gate.enter('pause', 'the end of run()');
      }
      const ticks = ran;
      const elapsedMs = clock.now() - began;
      return { ticks, elapsedMs, hz: elapsedMs > 0 ? (ticks * 1000) / elapsedMs : 0, overruns: pacer.overruns, joined: false };
    },
    step(n = 1) {
      return serial(async () => {
        if (closed) throw new EngineError('ENGINE_CLOSED', 'the engine is closed');
        startOnce('step()');
        gate.enter('step', 'step()');
        await prepare(); // even for step(0): a restore happens here
        for (let i = 0; i < n; i++) await oneTick();
        gate.settle('stepped');
      });
    },
    rewind(tick) {
      return serial(() => rewindEngine(core, world, gate, tick, (t) => runUntil(core!, t)));
    },
    recover() {
      return serial(async () => {
        gate.enter('recover', 'recover()');
        const latest = core?.rollback?.latest;
        if (latest !== undefined) core!.rewindTo(latest);
        gate.settle('recovered');
      });
    },
    state() {
      return gate.state;
    },
    drill(rates) {
      for (const [name, rate] of Object.entries(rates)) {
        if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) throw new EngineError('ENGINE_INVALID_ARGUMENT', `drill(): ${name} must be a rate in [0, 1]; got ${String(rate)}`);
      }
      const throwRate = rates.handlerThrowRate ?? Atomics.load(controlWords, CTL_DRILL_THROW) / 0x7fffffff;
      const exitRate = rates.workerExitRate ?? Atomics.load(controlWords, CTL_DRILL_EXIT) / 0x7fffffff;
      setDrill(throwRate, exitRate);
      // A drill changes what the next ticks do: an input, journaled like the others.
      if (core) {
        core.journal.diverge(core.tick);
        core.snapshots?.forgetAfter(core.tick);
        core.journal.record({ tick: core.tick, kind: 'drill', handlerThrowRate: throwRate, workerExitRate: exitRate });
      }
    },
    onStateChange(listener) {
      return gate.subscribe((t) => listener(t.to, t.from));
    },
    retention() {
      return core?.rollback?.stats();
    },
    stop() {
      stopRequested = true;
    },
    despawn(ref) {
      if (running || core?.inTick) throw new EngineError('ENGINE_BUSY', 'despawn() while running: use ctx.despawn() inside handlers');
      const store = world.storeOf(ref);
      const done = store !== undefined && store.despawn(ref);
      if (done && core) {
        core.journal.diverge(core.tick);
        core.snapshots?.forgetAfter(core.tick);
        core.journal.record({ tick: core.tick, kind: 'despawn', ref });
      }
      return done;
    },
    send(to, message, payload, sendOptions) {
      if (closed) throw new EngineError('ENGINE_CLOSED', 'the engine is closed');
      const priority = sendOptions?.priority ?? 'normal';
      const outcome = inbox.sender.trySend(encodeExternalSend(to, message, payload, priority), priority);
      if (outcome !== 'ok') {
        throw new EngineError('ENGINE_INBOX_FULL', `send(${message.name}): the ${priority} tier of the engine's inbox is ${outcome}; use sendAsync() to wait for room`);
      }
    },
    async sendAsync(to, message, payload, sendOptions) {
      if (closed) throw new EngineError('ENGINE_CLOSED', 'the engine is closed');
      const priority = sendOptions?.priority ?? 'normal';
      const lanes = encodeExternalSend(to, message, payload, priority);
      await inbox.sender.send(lanes, { tier: priority, ...(sendOptions?.signal ? { signal: sendOptions.signal } : {}) });
    },
    on(event, listener) {
      return hub.on(event, listener);
    },
    onHandlerError(listener) {
      errorListeners.add(listener);
      return () => void errorListeners.delete(listener);
    },
    stateHash(options) {
      if (options?.exclude) return world.stateHashExcept(core?.tick ?? 0, new Set([...options.exclude].map(Number)));
      return world.stateHash(core?.tick ?? 0);
    },
    resize(n) {
      return serial(async () => {
        checkThreads(n);
        if (n === threads) return;
        if (options.scheduler) throw new EngineError('ENGINE_BUSY', 'resize() with a user-supplied scheduler: resize that scheduler yourself');
        if (scheduler && (threads === 1) !== (n === 1)) {
          // Inline ⇄ pool: a different implementation, swapped at this boundary.
          const old = scheduler;
          scheduler = makeScheduler(n);
          for (let r = 1; r <= reloads; r++) await scheduler.loadJobModule({ url: `${RELOAD_JOBS}?r=${r}`, data: reloadData[r - 1] });
          await old.close();
        } else if (scheduler) await scheduler.resize(n);
        threads = n;
      });
    },
    reload(moduleUrl) {
      return serial(async () => {
        const url = new URL(moduleUrl).href;
        reloads++;
        const data = { moduleUrl: url, generation: reloads };
        reloadData.push(data);
        const namespace = (await import(`${url}${url.includes('?') ? '&' : '?'}reload=${reloads}`)) as Record<string, unknown>;
        const swapped = swapHandlers(namespace);
        if (scheduler) await scheduler.loadJobModule({ url: `${RELOAD_JOBS}?r=${reloads}`, data });
        return swapped;
      });
    },
    view(kind, ref) {
      // Workers copy and write pages during a tick; a view (which may copy a sealed page) must not race them.
      if (core?.inTick) throw new EngineError('ENGINE_BUSY', `view(${kind.name}, …) during a tick: read actors between ticks (onTick, an event listener, or after step())`);
      const kindId = world.idOf(kind);
      if (kindId === undefined) throw new EngineError('ENGINE_KIND_UNREGISTERED', `view(${kind.name}, …): the kind is not registered`);
      return world.stores[kindId]!.view(ref) as never;
    },
    refs(kind) {
      const store = world.stores[world.idOf(kind) ?? -1];
      if (!store) return [];
      const out: ActorRef[] = [];
      for (let slot = 0; slot < store.highWater; slot++) {
        const ref = store.refAt(slot);
        if (store.isAlive(ref)) out.push(ref);
      }
      return out;
    },
    telemetryUrl() {
      return recorder?.server.url;
    },
    stats(): EngineStats {
      const actorsByKind: Record<string, number> = {};
      world.stores.forEach((s, i) => (actorsByKind[world.kinds[i]!.name] = s.liveCount));
      return {
        ...(core?.snapshots ? { snapshots: core.snapshots.stats() } : {}),
        ...(spatial ? { spatial: spatial.writer.stats() } : {}),
        ...(supervision ? { supervision: { ...supervision.stats(), jobsRedone: core?.recovery.redone ?? 0, lastRedoMs: core?.recovery.lastMs ?? 0 } } : {}),
        state: gate.state,
        tick: core?.tick ?? 0,
        threads,
        actors: world.actorCount,
        actorsByKind,
        tickMs: { last: times.last, p50: times.percentile(50), p99: times.percentile(99) },
        tickMsSinceStart: times.sinceStart(),
        startMs,
        run: runRate,
        tickRateHz: rate.hz,
        overruns: pacer?.overruns ?? 0,
        eventsEmitted: counter(STAT_EMITTED),
        messagesSent: counter(STAT_SENT),
        deadLetters: world.deadLetters + counter(STAT_DEAD_LETTERS),
        handlerFailures: failures,
        scheduler: scheduler?.stats() ?? { threads, batches: 0, workers: [], fastPathRatio: 1, workerExits: 0 },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      stopRequested = true;
      await queue;
      gate.settle('stop');
      // The last tick goes to disk too, so replay reaches it with every input it had.
      core?.snapshots?.maybeWrite(core.tick, () => core!.messages.seal(), true);
      await core?.snapshots?.close();
      await core?.storedInputs?.close();
      inbox.sender.close();
      if (mainThread) uninstallReloadHook(mainThread);
      await Promise.all(infrastructure.map((supervisor) => supervisor.stop()));
      await (await telemetry)?.close();
      if (scheduler && !options.scheduler) await scheduler.close();
      gate.settle('stopped');
    },
  };
  claimSpatial(spatial);
  return engine;
}
