/**
 * One tick, start to end:
 *   1. open the tick plane's lanes for this tick's sends; outside input joins last tick's sends
 *      (which their jobs already routed to their recipients' pages)
 *   2. cut the world into jobs and run them on the scheduler: each job delivers its pages'
 *      messages, then runs their tick handlers (effects → each thread's outbox)
 *   3. apply every effect in job order: events to batches, spawns, despawns
 *   4. hand the event batches to subscribers, advance the tick
 */
import type { ActorRef } from '@concurrengine/actors';
import type { Receiver } from '@concurrengine/channels';
import { createJobBatch, type Scheduler } from '@concurrengine/scheduler';

import { applyBoundary, type EmitObserver, type HandlerErrorReport } from './boundary.js';
import { cutJobs, oneThreadJobPages } from './cutJobs.js';
import type { EngineThread } from './engineThread.js';
import type { EventHub } from './events.js';
import type { SpatialBounds, SpatialWriter } from './spatial.js';
import { CTL_OUTBOX_LENGTH, CTL_TICK, OUTBOXES, RUN_PAGES_JOB } from './protocol.js';
import { EngineError } from './errors.js';
import type { EngineSupervision } from './supervision.js';

/** Redo rounds for jobs lost with workers before the tick gives up. */
const MAX_REDO = 3;
import { Rollback } from './rollback.js';
import { InputJournal } from './journal.js';
import type { SnapshotWriter } from './snapshotWriter.js';
import type { StoredInputs } from './storedInputs.js';
import type { MailboxSeal, MessagePlane } from './messagePlane.js';
import type { RetentionPolicy } from '@concurrengine/lifecycle';
import type { World } from './world.js';

export class TickCore {
  private readonly batch = createJobBatch(256);
  private readonly redoBatch = createJobBatch(16);
  /** While a batch of jobs runs: the workers own the pages. */
  inTick = false;
  /**
   * Shared word: non-zero while a tick runs. The snapshot store's worker hashes in between
   * (snapshot's `yieldTo`), so it does not take a core from the tick loop while it runs.
   */
  readonly busy = new Int32Array(new SharedArrayBuffer(4));
  /** Jobs redone after a worker died, and how long the last redo took. */
  readonly recovery = { redone: 0, lastMs: 0 };
  supervision: EngineSupervision | undefined;
  private readonly lastWorker: number[] = [];
  /** Pages of the world when this tick was cut into jobs (what `isolation = "worker"` blocks are cut from). */
  private cutPages = 0;
  tick = 0;
  /** After a rewind the grid still holds the abandoned future's positions. */
  private gridStale = false;
  readonly rollback: Rollback | undefined;
  /** Inputs from outside, by tick: kept while ticks can be rewound to or replayed from disk. */
  readonly journal = new InputJournal();
  snapshots: SnapshotWriter | undefined;
  /** After a restore from disk: the later stored ticks' inputs, read as re-executed ticks need them. */
  storedInputs: StoredInputs | undefined;
  /** Sets a fault drill's rates (a journaled control input). */
  applyDrill: ((handlerThrowRate: number, workerExitRate: number) => void) | undefined;
  private started = false;

  constructor(
    private readonly world: World,
    private readonly main: EngineThread,
    private readonly hub: EventHub,
    private readonly onFailures: (reports: HandlerErrorReport[]) => void,
    private readonly grid: SpatialWriter | undefined,
    private readonly inbox: Receiver<Float64Array>,
    /** The actors' messages in flight (the tick plane's main-thread side). */
    readonly messages: MessagePlane,
    private readonly observeEmit?: EmitObserver,
    retention?: RetentionPolicy,
  ) {
    this.rollback = retention ? new Rollback(world, messages, retention) : undefined;
    if (this.rollback && grid?.bounds) this.rollback.spatialBounds = () => grid.bounds!();
    // Positions as of "the end of the previous tick" for the first tick: the spawned state.
    grid?.rebuild(world.stores);
  }

  async run(scheduler: Scheduler, threads: number): Promise<void> {
    // Before anything changes: a tick whose recorded inputs cannot be read leaves the world at this boundary.
    if (this.storedInputs && this.journal.replaying(this.tick)) await this.storedInputs.ensure(this.tick);
    Atomics.store(this.busy, 0, 1);
    try {
      await this.runTick(scheduler, threads);
    } finally {
      Atomics.store(this.busy, 0, 0);
      Atomics.notify(this.busy, 0);
    }
  }

  private async runTick(scheduler: Scheduler, threads: number): Promise<void> {
    const control = this.main.shared.control;
    Atomics.store(control, CTL_TICK, this.tick);
    for (let i = 0; i < OUTBOXES; i++) Atomics.store(control, CTL_OUTBOX_LENGTH + i, 0);

    if (this.gridStale) {
      this.grid?.rebuild(this.world.stores);
      this.gridStale = false;
    }
    if (!this.started) {
      // The world as the program built it is tick 0, in memory and on disk.
      this.started = true;
      this.rollback?.sealIfNew(this.tick);
      this.snapshots?.maybeWrite(this.tick, () => this.messages.seal());
    }
    this.takeInputs();
    // Opens this tick's lanes for the jobs' sends; the waiting messages' routes follow any actors a
    // sort moved, and outside input joins them.
    this.world.deadLetters += this.messages.beginTick(this.tick);
    this.supervision?.resumeDue(this.tick);

    // Pages a seal holds (retention, a snapshot being written) get a fresh frame their job copies
    // into; with no seal held this is one check per page.
    this.world.prepareWrites();
    this.cutPages = this.world.stores.reduce((n, store) => n + store.usedPages, 0);
    const jobs = cutJobs(this.world, threads, this.batch, (id, kindId, first, end) => this.grid?.preferWorker?.(id, kindId, first, end) ?? this.lastWorker[id] ?? -1);
    // Each job passes its pages' positions to the index after its handlers (octreeIndexPass.ts).
    this.grid?.planIndexPass?.(this.world.stores, this.batch, jobs);
    let jobFailure: HandlerErrorReport | undefined;
    if (jobs > 0) {
      this.inTick = true;
      let result;
      let lost: number[];
      try {
        result = await scheduler.run(this.batch);
        for (let id = 0; id < jobs; id++) this.lastWorker[id] = this.batch.ranBy(id);
        this.grid?.afterJobs?.(this.batch, jobs);
        lost = await this.redoLost(scheduler, result.notRun.map((job) => job.jobId));
      } finally {
        this.inTick = false;
      }
      if (lost.length > 0) {
        // No pre-job copies to go back to (retention off, or pages newer than the last seal):
        // the tick cannot complete as if nothing happened, so the engine fails here.
        throw new EngineError('ENGINE_WORKER_LOST', `tick ${this.tick}: ${lost.length} job(s) lost with a worker (jobs ${lost.join(', ')}); redoing them needs the tick's pre-job copies: enable retention`);
      }
      if (result.failures.length > 0) {
        // A job (not a handler: those are caught per actor) threw. Its effects up to then were
        // never published, so the boundary below stays consistent.
        const first = result.failures[0]!.error;
        jobFailure = { tick: this.tick, kind: '(job)', actor: -1 as ActorRef, message: String(first.cause ?? first.message) };
      }
    }

    this.messages.endTick(this.tick, jobs);
    const outboxes = Array.from({ length: OUTBOXES }, (_, i) => this.main.openOutbox(i));
    const failures = applyBoundary(outboxes, this.world, this.hub, this.tick, this.observeEmit);
    if (failures.length > 0) {
      this.supervision?.apply(failures, this.tick, this.rollback?.sealOf(this.tick)?.kinds, (kindId, slot) => this.jobRange(kindId, slot));
    }
    this.grid?.rebuild(this.world.stores, this.tick + 1);
    // Reported after the index update: a listener that writes an actor through view() is then a
    // write between ticks (seen by queries from the tick after next, whichever way the index
    // was brought up to date), never one that half the index saw.
    if (jobFailure) this.onFailures([jobFailure]);
    if (failures.length > 0) this.onFailures(failures);
    this.hub.flush(this.tick);
    this.tick++;
    this.rollback?.seal(this.tick);
    this.snapshots?.maybeWrite(this.tick, () => this.messages.seal());
    if (!this.snapshots) this.journal.trimBefore(this.rollback?.oldest ?? this.tick);
  }

  /**
   * A worker died holding jobs: their pages go back to this tick's pre-job copies (the frames the
   * tick's seal holds) and the jobs run again, keeping their ids — so their effects keep their
   * place in the boundary's order and the tick ends as if nothing had happened. Returns the jobs
   * that could not be redone.
   */
  private async redoLost(scheduler: Scheduler, lost: number[]): Promise<number[]> {
    for (let attempt = 0; lost.length > 0 && attempt < MAX_REDO; attempt++) {
      const seal = this.rollback?.sealOf(this.tick);
      if (!seal) return lost;
      const redo = this.redoBatch;
      redo.clear();
      for (const id of lost) {
        const kindId = this.batch.arg(id, 0);
        const first = this.batch.arg(id, 1);
        const end = this.batch.arg(id, 2);
        if (!this.world.stores[kindId]!.revertPages(first, end, seal.kinds[kindId]!)) return lost;
        redo.add(RUN_PAGES_JOB, kindId, first, end, id + 1, -1);
      }
      const began = performance.now();
      const again = await scheduler.run(redo);
      this.recovery.redone += lost.length;
      this.recovery.lastMs = performance.now() - began;
      lost = again.notRun.map((job) => redo.arg(job.jobId, 3) - 1);
    }
    return lost;
  }

  /**
   * Pages [first, end) of the job that ran `slot` of `kindId` this tick *on one thread*: the
   * actual cut depends on the thread count, and a restart set that did would make the state hash
   * depend on it too (issue 15's determinism contract).
   */
  private jobRange(kindId: number, slot: number): readonly [number, number] | undefined {
    const store = this.world.stores[kindId]!;
    const page = Math.floor(slot / store.layout.pageSize);
    const block = oneThreadJobPages(this.cutPages);
    const first = Math.floor(page / block) * block;
    return [first, Math.min(store.usedPages, first + block)];
  }

  /**
   * Outside input of the last tick joins the mailbox behind the actors' own sends, and goes into
   * the journal. A tick being re-executed after a rewind takes the journal's inputs instead —
   * the between-tick edits first, as they happened before the tick.
   */
  private takeInputs(): void {
    const tick = this.tick;
    if (this.journal.replaying(tick)) {
      const inputs = this.journal.at(tick);
      for (const input of inputs) {
        if (input.kind === 'spawn') this.world.spawnFromLanes(input.kindId, input.lanes, 0);
        else if (input.kind === 'despawn') this.world.despawn(input.ref as ActorRef);
        else if (input.kind === 'drill') this.applyDrill?.(input.handlerThrowRate, input.workerExitRate);
      }
      for (const input of inputs) if (input.kind === 'send') this.messages.pushOutside(input.lanes);
      return;
    }
    this.inbox.drain(Number.MAX_SAFE_INTEGER, (lanes) => {
      this.messages.pushOutside(lanes);
      this.journal.record({ tick, kind: 'send', lanes });
    });
  }

  /** Makes a tick read back from storage current; the ticks after it re-execute from the journal. */
  /** A stored tick's spatial world box (a restore): the index is rebuilt on it before the next tick. */
  adoptSpatialBounds(bounds: SpatialBounds): void {
    this.grid?.adoptBounds?.(bounds);
    this.gridStale = true;
  }

  loadStored(tick: number, pending: MailboxSeal, replayUntil: number): void {
    this.rollback?.clear();
    this.messages.restore(pending);
    this.tick = tick;
    this.gridStale = true;
    this.started = true;
    this.rollback?.sealIfNew(tick, true);
    this.journal.rewound(replayUntil);
  }

  /** Makes retained tick `tick` current (the tick count is the number of ticks run to reach it). */
  rewindTo(tick: number): void {
    if (!this.rollback) return;
    const from = this.tick;
    this.rollback.rewind(tick);
    // The box the index had at that tick (a derived box may have been derived again since):
    // a new one only when it differs, since adopting one rebuilds the index from scratch.
    const bounds = this.rollback.sealOf(tick)?.spatialBounds;
    if (bounds && !sameBox(bounds, this.grid?.bounds?.())) this.grid?.adoptBounds?.(bounds);
    this.tick = tick;
    this.gridStale = true;
    this.journal.rewound(from);
  }
}

function sameBox(a: SpatialBounds, b: SpatialBounds | undefined): boolean {
  return b !== undefined && a.min.every((v, axis) => v === b.min[axis]) && a.max.every((v, axis) => v === b.max[axis]);
}
