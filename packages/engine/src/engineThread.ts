/**
 * One thread's side of the engine: the kind stores attached to shared memory, a runner and a
 * context per kind, and the job that runs pages of a kind and leaves its effects in the outbox.
 * Workers have one (made in the engine job module's `setup`); the main thread has one for
 * delivering messages and, with the inline scheduler, for running jobs.
 */
import type { SpatialThread } from '@concurrengine/spatial';
import { attachKindStore, createKindRunner, recordTypeById, TICK, type ActorRef, type RecordType, type ActorKind, type HandlerFailure, type KindRunner, type KindStore, type Runnable } from '@concurrengine/actors';

import { LaneProducer, PlaneReader, PlaneViews, type PartitionOf } from '@concurrengine/channels';
import { EngineError } from './errors.js';
import { pageGroups, recipientPage, SEND_HEADER } from './messageRouting.js';
import { kindNamed } from './kindRegistry.js';
import { Outbox } from './outbox.js';
import { isMainThread } from 'node:worker_threads';

import { DRILL_EXIT_CODE, drilledHandler, drillHit } from './drill.js';
import { CTL_DRILL_EXIT, CTL_DRILL_THROW, CTL_SEED, CTL_TICK, CTL_OUTBOX_LENGTH, OP_FAIL, OP_JOB, STAT_DEAD_LETTERS, STAT_FAILED, STAT_RAN, STATS_PER_THREAD, type EngineSetupData } from './protocol.js';
import { ThreadContext } from './threadContext.js';
import { ThreadShared } from './threadShared.js';

interface KindSide {
  readonly kind: ActorKind;
  readonly store: KindStore;
  readonly runner: KindRunner;
  /** Contexts by outbox index, made on first use. */
  readonly contexts: ThreadContext[];
  /** The kind's handler (hot reload replaces it), and whether a drill wraps it now. */
  handler: Runnable['handle'];
  drilled: boolean;
}

const encoder = new TextEncoder();

export class EngineThread {
  readonly shared: ThreadShared;
  private readonly outboxes: Outbox[];
  private readonly kinds: KindSide[] = [];
  private readonly failures: HandlerFailure[] = [];
  /** Failures written to the outbox by the running job (`failures` is emptied as they are). */
  private failedInJob = 0;
  /** The tick plane (messages): this thread's view, a producer per outbox index (lane), a reader. */
  private readonly plane: PlaneViews;
  private readonly producers: LaneProducer[] = [];
  private readonly reader: PlaneReader;
  /** Stores by kind id (routing looks recipients up in any kind), and their pages during the running job's tick. */
  private readonly stores: KindStore[] = [];
  private readonly groups: Int32Array;
  private readonly partitionOf: PartitionOf;
  /**
   * The spatial strategy's side in this thread (built from its thread module by engineJobs.ts):
   * the reader behind `ctx.neighbours()`, and its optional per-job hooks — the job's share of the
   * index update (`afterJob`) and job timings (`jobTimed`, the octree's partition heat).
   */
  private readonly spatial: SpatialThread | undefined;

  /** `spatial`: built from `data.spatial` in this thread; none on the main thread's own side, which runs no job. */
  constructor(data: EngineSetupData, spatial?: SpatialThread) {
    this.shared = new ThreadShared(data.control, data.stats, data.delta, (id) => this.kinds[id]?.kind);
    this.outboxes = data.outboxes.map((buffer) => new Outbox(buffer));
    this.spatial = spatial;
    this.shared.neighbourIndex = spatial?.index;
    this.plane = new PlaneViews(data.messages);
    this.reader = new PlaneReader(this.plane);
    for (const { kindId, descriptor } of data.kinds) {
      const kind = kindNamed(descriptor.kindName);
      if (!kind) {
        throw new EngineError(
          'ENGINE_KIND_UNREGISTERED',
          `actor kind ${descriptor.kindName} is not defined in this thread: export it from the actor module, or register it before run()`,
        );
      }
      const store = attachKindStore(kind, descriptor);
      this.stores[kindId] = store;
      this.kinds[kindId] = {
        kind,
        store,
        runner: createKindRunner(kind as ActorKind & (new () => Runnable), store as KindStore<Runnable>),
        contexts: [],
        handler: (kind.prototype as Runnable).handle,
        drilled: false,
      };
      this.shared.setKindId(kind.name, kindId);
    }
    this.groups = new Int32Array(this.stores.length + 1);
    this.partitionOf = recipientPage(this.stores, this.groups);
  }

  /** Runs the live actors of pages [first, end) of `kindId`, effects into outbox `outboxIndex`. Returns how many ran. */
  runJob(kindId: number, first: number, end: number, jobId: number, outboxIndex: number, redo = false): number {
    const side = this.kinds[kindId];
    if (!side) throw new EngineError('ENGINE_KIND_UNREGISTERED', `job for kind id ${kindId}, which this thread does not know`);
    this.applyDrills(side, kindId, first, end, jobId, redo);
    const outbox = this.openOutbox(outboxIndex);
    const marker = outbox.reserve(3);
    outbox.f64[marker] = OP_JOB;
    outbox.f64[marker + 1] = 3;
    outbox.f64[marker + 2] = jobId;
    const ctx = this.context(side, kindId, outboxIndex);
    const tick = this.shared.beginJob();
    ctx.beginJob(tick);
    const producer = this.producer(outboxIndex);
    producer.begin(tick & 1);
    const incoming = (tick + 1) & 1;
    const failures = this.failures;
    failures.length = 0;
    this.failedInJob = 0;
    let ran = 0;
    const timed = this.spatial?.jobTimed !== undefined;
    const began = timed ? performance.now() : 0;
    try {
      // A page a sealed tick holds is copied to its reserved frame by the runner, page by page,
      // right before it is written (see actors' runner.ts).
      // Page by page: a page's messages (each actor sees its messages before its tick), then its
      // ticks. Effects (and failures) thus follow (page, phase, slot) order, which does not depend
      // on how pages were cut into jobs — that cut changes with the thread count (issue 15). Runs
      // of pages with no messages go to the runner in one call.
      let from = first;
      for (let page = first; page < end; page++) {
        if (this.reader.open(incoming, kindId, page) === 0) continue;
        if (page > from) ran += side.runner.runPages(from, page, TICK, ctx, failures);
        this.flushFailures(outbox, side.store, kindId);
        this.deliver(side, ctx, page, failures, outboxIndex);
        this.flushFailures(outbox, side.store, kindId);
        from = page;
      }
      ran += side.runner.runPages(from, end, TICK, ctx, failures);
      // The job's positions are final now (handlers move only their own actor): its share of the
      // index update, while they are in this core's cache. Not after a throw: the pass then counts
      // as not done, and the boundary updates the whole index itself.
      this.spatial?.afterJob?.(side.store, kindId, first, end, jobId);
    } finally {
      this.flushFailures(outbox, side.store, kindId);
      ctx.flushTraced();
      this.closeOutbox(outbox, outboxIndex);
      ctx.endJob();
      const stats = this.shared.stats;
      stats[outboxIndex * STATS_PER_THREAD + STAT_RAN]! += ran;
      stats[outboxIndex * STATS_PER_THREAD + STAT_FAILED]! += this.failedInJob;
      if (timed) this.spatial!.jobTimed!(jobId, performance.now() - began, ran);
      // The job's sends, routed here to their recipients' pages (segment = job id: the merge
      // order). Last: should it throw, the job's counts are already published.
      const dead = producer.end(jobId, this.pageGroups(), this.partitionOf);
      if (dead > 0) stats[outboxIndex * STATS_PER_THREAD + STAT_DEAD_LETTERS]! += dead;
    }
    return ran;
  }

  /** Replaces a kind's handler in this thread (hot reload). */
  setHandler(kindName: string, handler: Runnable['handle']): boolean {
    const side = this.kinds.find((k) => k?.kind.name === kindName);
    if (!side) return false;
    side.handler = handler;
    side.drilled = false;
    side.runner.setHandler(handler);
    return true;
  }

  /**
   * Fault drills (drill.ts): while a throw rate is set, the kind's handler runs behind a fault
   * injector; an exit rate makes a worker die in the middle of a job it was picked for (never in
   * a redo, which is how the engine recovers from it).
   */
  private applyDrills(side: KindSide, kindId: number, first: number, end: number, jobId: number, redo: boolean): void {
    const control = this.shared.control;
    const throwRate = Atomics.load(control, CTL_DRILL_THROW);
    if ((throwRate > 0) !== side.drilled) {
      side.drilled = throwRate > 0;
      const cursor = side.runner.cursor;
      side.runner.setHandler(
        side.drilled ? drilledHandler(side.handler, () => Atomics.load(control, CTL_DRILL_THROW), () => this.shared.seed, kindId, () => side.store.handleAt(cursor.base + cursor.o)) : side.handler,
      );
    }
    const exitRate = Atomics.load(control, CTL_DRILL_EXIT);
    if (exitRate > 0 && !redo && !isMainThread && drillHit(Atomics.load(control, CTL_SEED), Atomics.load(control, CTL_TICK), jobId, exitRate)) {
      // Half the job's pages get written (claimed copies), then the thread is gone.
      side.store.claimWrites(first, end);
      process.exit(DRILL_EXIT_CODE);
    }
  }

  /** Delivers the messages of page `page` (the reader has it open) to their actors of `side`'s kind. */
  private deliver(side: KindSide, ctx: ThreadContext, page: number, failures: HandlerFailure[], outboxIndex: number): void {
    const reader = this.reader;
    const store = side.store;
    let dead = 0;
    let lastId = -1;
    let lastType: RecordType | undefined;
    for (let at = reader.next(); at >= 0; at = reader.next()) {
      const records = reader.records;
      const to = records[at + 4]! as ActorRef;
      const slot = store.liveSlotOf(to);
      if (slot < 0) {
        dead++;
        continue;
      }
      // Another page's actor belongs to another job (maybe running now on another thread): a
      // misrouted message must fail loudly, never run there.
      if (Math.floor(slot / store.layout.pageSize) !== page) {
        throw new EngineError('ENGINE_OUTBOX_CORRUPT', `a message routed to page ${page} of ${side.kind.name} is for an actor on page ${Math.floor(slot / store.layout.pageSize)}`);
      }
      const typeId = records[at + 2]! >>> 0;
      // Consecutive messages are mostly of one type: skip the map lookup for a repeat.
      const type = typeId === lastId ? lastType : recordTypeById(typeId);
      lastId = typeId;
      lastType = type;
      if (!type) {
        failures.push({ kind: side.kind.name, slot, error: new EngineError('ENGINE_KIND_UNREGISTERED', `message type id ${records[at + 2]} is not defined in this thread`) });
        continue;
      }
      side.runner.runSlot(slot, type.decodeMessage(records, at + SEND_HEADER, records[at + 3]!), ctx, failures);
    }
    if (dead > 0) this.shared.stats[outboxIndex * STATS_PER_THREAD + STAT_DEAD_LETTERS]! += dead;
  }

  /** This thread's producer on lane `index` (a lane per outbox: one thread uses it at a time). */
  private producer(index: number): LaneProducer {
    return (this.producers[index] ??= new LaneProducer(this.plane, index));
  }

  /** The pages of each kind now (stores grow only between ticks; O(kinds) per job). */
  private pageGroups(): Int32Array {
    return pageGroups(this.stores, this.groups);
  }

  openOutbox(index: number): Outbox {
    const outbox = this.outboxes[index]!;
    outbox.refresh();
    outbox.length = Atomics.load(this.shared.control, CTL_OUTBOX_LENGTH + index);
    return outbox;
  }

  closeOutbox(outbox: Outbox, index: number): void {
    Atomics.store(this.shared.control, CTL_OUTBOX_LENGTH + index, outbox.length);
  }

  private context(side: KindSide, kindId: number, outboxIndex: number): ThreadContext {
    return (side.contexts[outboxIndex] ??= new ThreadContext(
      this.shared,
      this.outboxes[outboxIndex]!,
      this.producer(outboxIndex),
      outboxIndex * STATS_PER_THREAD,
      kindId,
      side.store,
      side.runner.cursor,
    ));
  }

  /** Writes the failures collected so far after the effects before them, keeping their order. */
  private flushFailures(outbox: Outbox, store: KindStore, kindId: number): void {
    const failures = this.failures;
    for (const failure of failures) this.writeFailure(outbox, store, kindId, failure);
    this.failedInJob += failures.length;
    failures.length = 0;
  }

  private writeFailure(outbox: Outbox, store: KindStore, kindId: number, failure: HandlerFailure): void {
    const error = failure.error;
    const text = encoder.encode(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).subarray(0, 2048);
    const lanes = 6 + Math.ceil(text.length / 8);
    const at = outbox.reserve(lanes);
    const out = outbox.f64;
    out[at] = OP_FAIL;
    out[at + 1] = lanes;
    out[at + 2] = kindId;
    // The ref, not the slot: the boundary applies earlier spawns and despawns first, and a spawn may
    // take this slot (LIFO) before the failure is read.
    out[at + 3] = store.refAt(failure.slot);
    out[at + 4] = text.length;
    out[at + 5] = 0;
    outbox.u8.set(text, (at + 6) * 8);
  }
}
