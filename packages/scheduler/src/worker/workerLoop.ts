/**
 * The worker thread's loop: park until the main thread bumps EPOCH, run the batch (own deque,
 * own injector, then steal), settle the barrier, check out, park again. Everything here runs on
 * one worker thread; the shared words it touches are listed in `pool/layout.ts`.
 */
import { EMPTY } from '../deque/layout.js';
import { executeJob, NO_ERROR, toThrownRecord, type MutableJobContext } from '../execute.js';
import { batchViews, type BatchViews } from '../jobBatch.js';
import type { JobRegistry } from '../jobRegistry.js';
import * as L from '../pool/layout.js';
import { Finder, type FinderCounters } from './finder.js';

/** How often (in jobs) counters are flushed to shared memory while busy. */
const FLUSH_EVERY = 1024;
/** Longest sleep of an idle worker while its batch is still running elsewhere (ms). */
const MAX_IDLE_SLEEP_MS = 1;

/** Messages main → worker on the synchronous control port. */
export type ControlMessage =
  | { readonly type: 'batch-buffer'; readonly buffer: SharedArrayBuffer; readonly capacity: number }
  | { readonly type: 'load'; readonly id: number; readonly url: string; readonly data: unknown }
  | { readonly type: 'stop' };

/** Posted worker → main on the synchronous port when a job throws. */
export interface FailureMessage {
  readonly type: 'failure';
  readonly batch: number;
  readonly jobId: number;
  readonly kind: number;
  readonly error: ReturnType<typeof toThrownRecord>;
}

export interface WorkerLoopOptions {
  readonly mem: PoolMemory;
  readonly slot: number;
  readonly registry: JobRegistry;
  /** Batch generation this worker joins after (it ignores batches up to and including it). */
  readonly joinGen: number;
  readonly spinMicros: number;
  /** Reports a failure to main (posts on the synchronous port). */
  readonly report: (message: FailureMessage) => void;
  /** Handles pending control messages; resolves true when the worker must stop. */
  readonly control: () => Promise<boolean>;
}
type PoolMemory = L.PoolMemory;

/** One worker's loop. */
export class WorkerLoop {
  private readonly ctl: Int32Array;
  private readonly stats: Float64Array;
  private readonly statBase: number;
  private readonly finder: Finder;
  private readonly counters: FinderCounters;
  private readonly ctx: MutableJobContext;
  private views: BatchViews | undefined;
  private lastGen: number;
  private parks: number;
  private busyNs: number;
  private jobsRun: number;
  private jobsFailed: number;

  constructor(private readonly o: WorkerLoopOptions) {
    this.ctl = o.mem.ctl;
    this.stats = o.mem.stats;
    this.statBase = o.slot * L.STAT_WORDS;
    // A replacement worker continues the counters of the slot it takes over.
    const s = (i: number) => this.stats[this.statBase + i]!;
    this.counters = { localPops: s(L.ST_LOCAL_POPS), steals: s(L.ST_STEALS), stolenJobs: s(L.ST_STOLEN_JOBS), failedSteals: s(L.ST_FAILED_STEALS) };
    this.parks = s(L.ST_PARKS);
    this.busyNs = s(L.ST_BUSY_NS);
    this.jobsRun = s(L.ST_JOBS_RUN);
    this.jobsFailed = s(L.ST_JOBS_FAILED);
    this.finder = new Finder(o.mem, o.slot, this.counters);
    this.ctx = { worker: o.slot, jobId: -1, batch: 0 };
    this.lastGen = o.joinGen;
  }

  /** Installs the views of a (new) batch buffer. */
  setBatchBuffer(buffer: SharedArrayBuffer, capacity: number): void {
    this.views = batchViews(buffer, capacity);
    this.finder.order = this.views.order;
  }

  /** Runs until told to stop. */
  async run(): Promise<void> {
    const ctl = this.ctl;
    const pendingWord = L.slotWord(this.o.slot, L.CONTROL_PENDING);
    for (;;) {
      // Read EPOCH before looking for work: a bump after this read makes the park return at once.
      const epoch = Atomics.load(ctl, L.EPOCH);
      if (Atomics.exchange(ctl, pendingWord, 0) !== 0 && (await this.o.control())) return;
      const gen = Atomics.load(ctl, L.GEN);
      if (gen > this.lastGen) {
        this.lastGen = gen;
        this.runBatch(gen);
        continue;
      }
      await this.park(epoch);
    }
  }

  /** Spins on EPOCH for `spinMicros`, lets the event loop turn once, then blocks in Atomics.wait. */
  private async park(epoch: number): Promise<void> {
    const ctl = this.ctl;
    const deadline = performance.now() + this.o.spinMicros / 1000;
    let i = 0;
    while (Atomics.load(ctl, L.EPOCH) === epoch) {
      if ((++i & 63) === 0 && performance.now() > deadline) break;
    }
    if (Atomics.load(ctl, L.EPOCH) !== epoch) return;
    // One turn of the event loop before sleeping, so timers and uncaught async errors of job code
    // surface between batches instead of never.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (Atomics.load(ctl, L.EPOCH) !== epoch) return;
    this.parks++;
    this.stats[this.statBase + L.ST_PARKS] = this.parks;
    Atomics.wait(ctl, L.EPOCH, epoch);
  }

  private runBatch(gen: number): void {
    const ctl = this.ctl;
    const slot = this.o.slot;
    const views = this.views;
    const threads = Atomics.load(ctl, L.THREADS);
    if (views === undefined || slot >= threads) {
      this.checkout(gen);
      return;
    }
    const table = this.o.registry.table;
    const finder = this.finder;
    const ctx = this.ctx;
    ctx.batch = gen;
    const currentWord = L.slotWord(slot, L.CURRENT);
    const executedWord = L.slotWord(slot, L.EXECUTED);
    let executed = 0;
    let sinceFlush = 0;
    let started = process.hrtime.bigint();
    for (;;) {
      let id = finder.nextLocal();
      if (id === EMPTY) id = finder.steal(threads);
      if (id === EMPTY) {
        this.busyNs += Number(process.hrtime.bigint() - started);
        // Counters first, then the settled count: whoever sees the batch complete (and so the
        // caller, after the barrier) must see this worker's stats for it too.
        this.flush();
        Atomics.store(ctl, executedWord, executed);
        id = this.idle(gen, threads);
        if (id === EMPTY) break;
        started = process.hrtime.bigint();
      }
      ctl[currentWord] = id; // plain store: only read by main after this thread is gone
      const error = executeJob(views, table, id, ctx);
      executed++;
      this.jobsRun++;
      if (error !== NO_ERROR) {
        this.jobsFailed++;
        this.o.report({ type: 'failure', batch: gen, jobId: id, kind: views.jobs[id * 6]!, error: toThrownRecord(error) });
      }
      if (++sinceFlush === FLUSH_EVERY) {
        sinceFlush = 0;
        this.flush();
        Atomics.store(ctl, executedWord, executed);
      }
    }
    this.checkout(gen);
  }

  /**
   * Called with nothing found anywhere. Returns `EMPTY` when the batch is complete, or a job id
   * found by stealing again. While idle the worker is flagged IDLE_GEN = gen, and the
   * flag is dropped before every new attempt to take work (see `pool/deathAccounting.ts`).
   */
  private idle(gen: number, threads: number): number {
    const ctl = this.ctl;
    const idleWord = L.slotWord(this.o.slot, L.IDLE_GEN);
    const versionWord = L.slotWord(this.o.slot, L.IDLE_VERSION);
    let sleepMs = 0.02;
    const spinUntil = performance.now() + this.o.spinMicros / 1000;
    for (;;) {
      Atomics.store(ctl, idleWord, gen);
      Atomics.add(ctl, versionWord, 1);
      if (this.batchDone(gen, threads)) return EMPTY;
      if (performance.now() > spinUntil) {
        this.parks++;
        Atomics.wait(ctl, L.DONE_GEN, gen - 1, sleepMs);
        sleepMs = Math.min(MAX_IDLE_SLEEP_MS, sleepMs * 2);
        if (Atomics.load(ctl, L.DONE_GEN) >= gen) return EMPTY;
      }
      Atomics.store(ctl, idleWord, 0);
      Atomics.add(ctl, versionWord, 1);
      // Own deque and injector stay empty (only this thread refills them), so only peers can have work.
      const id = this.finder.steal(threads);
      if (id !== EMPTY) return id;
    }
  }

  /** True when the batch is complete; the worker that sees it first releases the barrier. */
  private batchDone(gen: number, threads: number): boolean {
    const ctl = this.ctl;
    if (Atomics.load(ctl, L.DONE_GEN) >= gen) return true;
    let settled = Atomics.load(ctl, L.NOT_RUN_COUNT);
    for (let s = 0; s < threads; s++) settled += Atomics.load(ctl, L.slotWord(s, L.EXECUTED));
    if (settled < Atomics.load(ctl, L.TOTAL)) return false;
    if (Atomics.compareExchange(ctl, L.DONE_GEN, gen - 1, gen) === gen - 1) Atomics.notify(ctl, L.DONE_GEN);
    return true;
  }

  private checkout(gen: number): void {
    Atomics.store(this.ctl, L.slotWord(this.o.slot, L.IDLE_GEN), 0);
    Atomics.store(this.ctl, L.slotWord(this.o.slot, L.CHECKOUT_GEN), gen);
    Atomics.add(this.ctl, L.CHECKOUTS, 1);
    Atomics.notify(this.ctl, L.CHECKOUTS);
  }

  /** Copies the plain counters into shared memory (owner-only writes; readers may be one flush behind). */
  private flush(): void {
    const s = this.stats;
    const b = this.statBase;
    const c = this.counters;
    s[b + L.ST_LOCAL_POPS] = c.localPops;
    s[b + L.ST_STEALS] = c.steals;
    s[b + L.ST_STOLEN_JOBS] = c.stolenJobs;
    s[b + L.ST_FAILED_STEALS] = c.failedSteals;
    s[b + L.ST_PARKS] = this.parks;
    s[b + L.ST_BUSY_NS] = this.busyNs;
    s[b + L.ST_JOBS_RUN] = this.jobsRun;
    s[b + L.ST_JOBS_FAILED] = this.jobsFailed;
  }
}
