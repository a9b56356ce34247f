/**
 * The receiving side of the cross-thread channel: exactly one per channel, used by one thread
 * (the channel claims the role in shared memory on first use). Idle waiting parks on
 * `Atomics.waitAsync` (no spinning): `recv` announces itself in W_PARKED, re-checks the rings, then
 * waits on W_RECV_SEQ, which a sender bumps after publishing whenever it sees W_PARKED > 0.
 */
import type { CriticalHandler, Receiver, RecvOptions, RecvResult, TryRecvResult } from './channel.js';
import type { RecordCodec, RecordOf, RecordSchema, RecordScratch } from './codec.js';
import { ChannelError } from './errors.js';
import { S_BLOCKED, S_CLOSED, S_CRITICAL_DIRECT, S_PROMOTIONS, W_CRITICAL_SEQ, W_PARKED, W_RECV_SEQ, W_SPACE_SEQ } from './layout.js';
import { closeShared, spinUntil, waitChange } from './sharedSender.js';
import type { SharedRings } from './sharedRings.js';
import { CRITICAL, HIGH, LOW, TIERS, type Tier } from './tiers.js';
import { TierPicker } from './tierPicker.js';

/**
 * A short run (fewer records queued than a full run, or some still being written) means the
 * receiver caught up with the producers.
 * Claiming again at once would read the very slot the producer is filling and pull its cache
 * line across on every record: measured here, runs shrank to ~2.4 records and both threads fell
 * to ~7 M msgs/s. Waiting this long before the next claim lets a run build up (~19 M msgs/s,
 * the producer's own limit). `drain` never waits when nothing at all is ready; a call that
 * empties a tier may end with one such pause.
 */
const CATCH_UP_MS = 0.001;

function catchUpPause(): void {
  const until = performance.now() + CATCH_UP_MS;
  while (performance.now() < until);
}

const EMPTY = { status: 'empty' } as const;
const CLOSED = { status: 'closed' } as const;

export class SharedReceiver<S extends RecordSchema> implements Receiver<RecordOf<S>> {
  private readonly picker: TierPicker;
  /** The longest run the guard grants (the starvation limit). */
  private readonly runLimit: number;
  private readonly depths = new Int32Array(LOW + 1);
  private handler: CriticalHandler<RecordOf<S>> | null = null;
  /** Generation of the critical watcher; a stale watcher sees a newer one and stops. */
  private watcher = 0;
  private busy = false;
  /** Tier of the message `next()` returned. */
  private lastTier = 0;
  /**
   * The run `drain` claimed with one CAS, decoded, and freed (one atomic store) before handing
   * any of it out: `batch[batchAt…batchEnd)` of tier `batchTier` is still to be handed out
   * (`fn` threw, `max` was reached, or a critical record arrived mid-run). It comes before
   * anything but the critical lane. `batchGen` changes whenever a new run replaces it.
   */
  private readonly batch: RecordOf<S>[] = [];
  private batchAt = 0;
  private batchEnd = 0;
  private batchTier = 0;
  private batchGen = 0;
  /**
   * Reused decode targets, one set per position of a run (a run is at most `starvationLimit`
   * records), so the outermost `drain` allocates nothing per record. Nested drains allocate: an
   * outer `fn` may still be looking at a pooled object.
   */
  private readonly pool: RecordScratch[] = [];
  /** Depth of nested `drain` calls. */
  private draining = 0;
  /** W_CRITICAL_SEQ as `drain` last read it before checking the critical ring. */
  private criticalSeen = 0;
  /** W_CRITICAL_SEQ when `drain` last found the critical ring empty (-1: never looked). */
  private criticalEmptyAt = -1;

  constructor(
    private readonly rings: SharedRings,
    private readonly codec: RecordCodec<S>,
    starvationLimit: number,
    private readonly onHandlerError: (error: unknown, message: unknown) => void,
  ) {
    this.picker = new TierPicker(starvationLimit);
    this.runLimit = starvationLimit;
  }

  /**
   * What the guard plans with: each tier's depth (reserved records). Real depths, not just
   * "ready or not": the guard counts a planned run as received by the tiers it passes over.
   */
  private readyDepths(): void {
    const rings = this.rings;
    const depths = this.depths;
    for (let t = HIGH; t <= LOW; t++) depths[t] = rings.depth(t);
  }

  /** Claims, decodes and frees the oldest record of tier `t`; skips tombstones. */
  private take(t: number): RecordOf<S> | undefined {
    const rings = this.rings;
    for (;;) {
      const pos = rings.claim(t);
      if (pos < 0) return undefined;
      const offset = rings.offset(t, pos);
      if (rings.i32[offset >> 2] === 0) {
        rings.release(t, pos);
        continue;
      }
      try {
        return this.codec.decode(rings.views, offset);
      } finally {
        rings.release(t, pos);
      }
    }
  }

  private wakeSenders(): void {
    const i32 = this.rings.i32;
    if (Atomics.load(i32, S_BLOCKED) !== 0) {
      Atomics.add(i32, W_SPACE_SEQ, 1);
      Atomics.notify(i32, W_SPACE_SEQ);
    }
  }

  private callHandler(handler: CriticalHandler<RecordOf<S>>, message: RecordOf<S>): void {
    const wasBusy = this.busy;
    this.busy = true;
    try {
      handler(message);
    } catch (error) {
      this.onHandlerError(error, message);
    } finally {
      this.busy = wasBusy;
    }
  }

  /** Hands every published critical record to the handler; returns how many. */
  private flushCritical(): number {
    const handler = this.handler;
    if (handler === null) return 0;
    let n = 0;
    for (let m = this.take(CRITICAL); m !== undefined; m = this.take(CRITICAL)) {
      n++;
      this.wakeSenders();
      this.callHandler(handler, m);
    }
    return n;
  }

  /** The next message by the receive order, or undefined; its tier goes to `lastTier`. */
  private next(): RecordOf<S> | undefined {
    this.flushCritical();
    let m = this.take(CRITICAL);
    if (m !== undefined) {
      this.lastTier = CRITICAL;
      return m;
    }
    if (this.batchAt < this.batchEnd) {
      this.lastTier = this.batchTier;
      // A copy: the batch's object may be a pooled one that the next run overwrites.
      return { ...this.batch[this.batchAt++]! };
    }
    const depths = this.depths;
    this.readyDepths();
    if (this.picker.plan(depths, 1) === 0) return undefined;
    m = this.take(this.picker.tier);
    if (m !== undefined) {
      if (this.picker.promoted) Atomics.add(this.rings.i32, S_PROMOTIONS, 1);
      this.lastTier = this.picker.tier;
      return m;
    }
    // The chosen tier holds only records still being written: take what is ready elsewhere.
    for (let t = HIGH; t <= LOW; t++) {
      m = this.take(t);
      if (m !== undefined) {
        this.lastTier = t;
        return m;
      }
    }
    return undefined;
  }

  /**
   * Claims up to `max` published records of tier `t` with one CAS, decodes them into the batch
   * (skipping tombstones) and frees their slots with one atomic store; returns how many slots
   * it claimed (0: none ready). Slots are free before any `fn` runs, so `fn` may send to this
   * channel even when the claim had filled it.
   */
  private claimBatch(t: number, max: number): number {
    const rings = this.rings;
    const got = rings.claimMany(t, max);
    if (got === 0) return 0;
    const start = rings.claimed;
    const i32 = rings.i32;
    const views = rings.views;
    const codec = this.codec;
    const batch = this.batch;
    const base = rings.dataBase[t]!;
    const mask = rings.masks[t]!;
    const recordBytes = rings.recordBytes;
    const reuse = this.draining <= 1;
    const pool = this.pool;
    let k = 0;
    let failure: unknown;
    for (let i = 0; i < got; i++) {
      const offset = base + ((start + i) & mask) * recordBytes;
      if (i32[offset >> 2] === 0) continue; // tombstone
      try {
        let m: RecordOf<S>;
        if (reuse) {
          while (pool.length <= k) pool.push(codec.createScratch());
          m = codec.decodeInto(views, offset, pool[k]!);
        } else {
          m = codec.decode(views, offset);
        }
        batch[k++] = m;
      } catch (error) {
        failure ??= error; // a corrupt record: every claimed slot is still freed, then it is reported
      }
    }
    rings.releaseMany(t, start, got);
    this.wakeSenders();
    this.batchTier = t;
    this.batchAt = 0;
    this.batchEnd = k;
    this.batchGen++;
    if (failure !== undefined) throw failure;
    return got;
  }

  tryRecv(): TryRecvResult<RecordOf<S>> {
    const m = this.next();
    if (m === undefined) return this.batchAt === this.batchEnd && this.rings.closedAndDrained() ? CLOSED : EMPTY;
    this.wakeSenders();
    return { status: 'ok', value: m, tier: TIERS[this.lastTier]! };
  }

  async recv(options?: RecvOptions): Promise<RecvResult<RecordOf<S>>> {
    const signal = options?.signal;
    const i32 = this.rings.i32;
    for (;;) {
      const first = this.tryRecv();
      if (first.status !== 'empty') return first;
      if (signal?.aborted === true) throw new ChannelError('CHANNEL_ABORTED', 'recv aborted', undefined, { cause: signal.reason });
      // Spin briefly before parking (SPIN_MS): a busy producer usually publishes within it.
      if (spinUntil(() => this.rings.anyPublished() || Atomics.load(i32, S_CLOSED) !== 0)) continue;
      const seen = Atomics.load(i32, W_RECV_SEQ);
      Atomics.add(i32, W_PARKED, 1);
      try {
        const again = this.tryRecv();
        if (again.status !== 'empty') return again;
        await waitChange(i32, W_RECV_SEQ, seen, signal);
      } finally {
        Atomics.sub(i32, W_PARKED, 1);
      }
    }
  }

  drain(max: number, fn: (message: RecordOf<S>, tier: Tier) => void): number {
    const rings = this.rings;
    const depths = this.depths;
    const picker = this.picker;
    const wasBusy = this.busy;
    this.busy = true;
    this.draining++;
    let n = 0;
    try {
      while (n < max) {
        // Read before looking at the critical ring: senders bump it after publishing, so a
        // critical record this look misses changes it, and the run below stops for it.
        const criticalSeq = Atomics.load(rings.i32, W_CRITICAL_SEQ);
        this.criticalSeen = criticalSeq;
        // The critical ring is looked at only when a critical send happened since it was last
        // found empty (one load per run instead of a claim attempt).
        if (criticalSeq !== this.criticalEmptyAt) {
          this.flushCritical();
          const c = this.take(CRITICAL);
          if (c !== undefined) {
            n++;
            fn(c, 'critical');
            continue;
          }
          this.criticalEmptyAt = criticalSeq;
        }
        if (this.batchAt < this.batchEnd) {
          n += this.deliverBatch(fn, max - n);
          continue;
        }
        this.readyDepths();
        const run = picker.plan(depths, max - n);
        if (run === 0) break;
        const t = picker.tier;
        if (picker.promoted) Atomics.add(rings.i32, S_PROMOTIONS, 1);
        // One CAS claims the run; records are decoded as they are handed to fn, and their slots
        // freed together (one atomic store) when the run ends.
        // A run shorter than a full one means this receiver is at the producers' frontier.
        const atFrontier = depths[t]! < Math.min(max - n, this.runLimit);
        const got = this.claimBatch(t, run);
        if (got === 0) break; // only records still being written: come back later
        n += this.deliverBatch(fn, max - n);
        if (got < run || atFrontier) catchUpPause();
      }
    } finally {
      this.draining--;
      this.busy = wasBusy;
    }
    return n;
  }

  /**
   * Hands batch records to `fn` (at most `max`), stopping early when a critical record was
   * published since `criticalSeen`, or when a nested call replaced the batch.
   */
  private deliverBatch(fn: (message: RecordOf<S>, tier: Tier) => void, max: number): number {
    const name = TIERS[this.batchTier]!;
    const batch = this.batch;
    const i32 = this.rings.i32;
    const criticalSeen = this.criticalSeen;
    const gen = this.batchGen;
    let n = 0;
    // batchAt is a field, not a local: fn may call tryRecv or drain on this receiver.
    while (n < max && this.batchAt < this.batchEnd) {
      const m = batch[this.batchAt++]!;
      n++;
      fn(m, name);
      if (Atomics.load(i32, W_CRITICAL_SEQ) !== criticalSeen || this.batchGen !== gen) break;
    }
    return n;
  }

  onCritical(handler: CriticalHandler<RecordOf<S>> | null): void {
    this.handler = handler;
    const generation = ++this.watcher;
    if (handler !== null) this.watch(generation);
  }

  /**
   * While a handler is registered, waits on W_CRITICAL_SEQ and hands critical records to it as
   * soon as this thread's event loop is free — the receiver is idle by construction then.
   */
  private watch(generation: number): void {
    if (generation !== this.watcher || this.handler === null) return;
    const i32 = this.rings.i32;
    const seen = Atomics.load(i32, W_CRITICAL_SEQ);
    if (!this.busy) Atomics.add(i32, S_CRITICAL_DIRECT, this.flushCritical());
    if (this.rings.closedAndDrained()) return;
    void waitChange(i32, W_CRITICAL_SEQ, seen, undefined, false).then(() => this.watch(generation));
  }

  close(): void {
    closeShared(this.rings);
  }
}
