/**
 * The receiving side of the cross-thread channel: exactly one per channel, used by one thread
 * (the channel claims the role in shared memory on first use). Idle waiting parks on
 * `Atomics.waitAsync` (no spinning): `recv` announces itself in W_PARKED, re-checks the rings, then
 * waits on W_RECV_SEQ, which a sender bumps after publishing whenever it sees W_PARKED > 0.
 */
import type { CriticalHandler, Receiver, RecvOptions, RecvResult, TryRecvResult } from './channel.js';
import type { RecordCodec, RecordOf, RecordSchema, RecordScratch } from './codec.js';
import { ChannelError } from './errors.js';
import { POS_MASK, S_BLOCKED, S_CLOSED, S_CRITICAL_DIRECT, S_PROMOTIONS, W_CRITICAL_SEQ, W_PARKED, W_RECV_SEQ, W_SPACE_SEQ } from './layout.js';
import { closeShared, spinUntil, waitChange } from './sharedSender.js';
import type { SharedRings } from './sharedRings.js';
import { CRITICAL, HIGH, LOW, TIERS, type Tier } from './tiers.js';
import { TierPicker } from './tierPicker.js';

/**
 * A run that came up short means the receiver caught up with a producer that is still writing.
 * Claiming again at once would read the very slot the producer is filling and pull its cache
 * line across on every record: measured here, runs shrank to ~2.4 records and both threads fell
 * to ~7 M msgs/s. Waiting this long before the next claim lets a run build up (~19 M msgs/s,
 * the producer's own limit). `drain` never waits when nothing at all is ready.
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
  private readonly depths = new Int32Array(LOW + 1);
  private handler: CriticalHandler<RecordOf<S>> | null = null;
  /** Generation of the critical watcher; a stale watcher sees a newer one and stops. */
  private watcher = 0;
  private busy = false;
  /** Tier of the message `next()` returned. */
  private lastTier = 0;
  /**
   * The run `drain` claimed with one CAS and has not handed out yet (`fn` threw, `max` was
   * reached, or a critical record arrived mid-run): `pendingCount` records of `pendingTier` from
   * `pendingPos`, still in their slots. They come before anything but the critical lane.
   * Handed-out records stay in their slots until `releaseDelivered` frees them in one go:
   * [releaseFrom, pendingPos) of `pendingTier`.
   */
  private pendingTier = 0;
  private pendingPos = 0;
  private pendingCount = 0;
  private releaseFrom = 0;
  /** Depth of nested `drain` calls; only the outermost decodes into `scratch`. */
  private draining = 0;
  private readonly scratch: RecordScratch;
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
    this.scratch = codec.createScratch();
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
    if (this.pendingCount > 0) {
      const p = this.shiftPending(false);
      if (p !== undefined) {
        this.lastTier = this.pendingTier;
        return p;
      }
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
   * Takes the next pending record (skipping tombstones) decoded into a new object, or with
   * `reuse` into `scratch`; undefined when only tombstones were left. Its slot is freed by
   * `releaseDelivered`.
   */
  private shiftPending(reuse: boolean): RecordOf<S> | undefined {
    const rings = this.rings;
    const t = this.pendingTier;
    while (this.pendingCount > 0) {
      const offset = rings.offset(t, this.pendingPos);
      this.pendingPos = (this.pendingPos + 1) & POS_MASK;
      this.pendingCount--;
      if (rings.i32[offset >> 2] === 0) continue;
      return reuse ? this.codec.decodeInto(rings.views, offset, this.scratch) : this.codec.decode(rings.views, offset);
    }
    return undefined;
  }

  /** Frees the slots of every handed-out pending record with one atomic store. */
  private releaseDelivered(): void {
    const k = (this.pendingPos - this.releaseFrom) & POS_MASK;
    if (k === 0) return;
    this.rings.releaseMany(this.pendingTier, this.releaseFrom, k);
    this.releaseFrom = this.pendingPos;
    this.wakeSenders();
  }

  tryRecv(): TryRecvResult<RecordOf<S>> {
    let m: RecordOf<S> | undefined;
    try {
      m = this.next();
    } finally {
      this.releaseDelivered();
    }
    if (m === undefined) return this.pendingCount === 0 && this.rings.closedAndDrained() ? CLOSED : EMPTY;
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
        if (this.pendingCount > 0) {
          n += this.deliverPending(fn, max - n);
          continue;
        }
        this.readyDepths();
        const run = picker.plan(depths, max - n);
        if (run === 0) break;
        const t = picker.tier;
        if (picker.promoted) Atomics.add(rings.i32, S_PROMOTIONS, 1);
        // One CAS claims the run; records are decoded as they are handed to fn, and their slots
        // freed together (one atomic store) when the run ends.
        const got = rings.claimMany(t, run);
        if (got === 0) break; // only records still being written: come back later
        this.pendingTier = t;
        this.pendingPos = rings.claimed;
        this.releaseFrom = rings.claimed;
        this.pendingCount = got;
        n += this.deliverPending(fn, max - n);
        if (got < run) catchUpPause();
      }
    } finally {
      this.draining--;
      this.busy = wasBusy;
    }
    return n;
  }

  /**
   * Hands pending records to `fn` (at most `max`), stopping early when a critical record was
   * published since `criticalSeen`; frees their slots when done, also when `fn` throws.
   */
  private deliverPending(fn: (message: RecordOf<S>, tier: Tier) => void, max: number): number {
    const t = this.pendingTier;
    const name = TIERS[t]!;
    const rings = this.rings;
    const i32 = rings.i32;
    const views = rings.views;
    const codec = this.codec;
    const scratch = this.scratch;
    const base = rings.dataBase[t]!;
    const mask = rings.masks[t]!;
    const recordBytes = rings.recordBytes;
    const criticalSeen = this.criticalSeen;
    // A nested drain must not overwrite the message an outer fn is still looking at.
    const reuse = this.draining === 1;
    let n = 0;
    try {
      // pendingPos/pendingCount are fields, not locals: fn may call tryRecv on this receiver.
      while (n < max && this.pendingCount > 0) {
        const pos = this.pendingPos;
        const offset = base + (pos & mask) * recordBytes;
        this.pendingPos = (pos + 1) & POS_MASK;
        this.pendingCount--;
        if (i32[offset >> 2] === 0) continue; // tombstone
        const m = reuse ? codec.decodeInto(views, offset, scratch) : codec.decode(views, offset);
        n++;
        fn(m, name);
        if (Atomics.load(i32, W_CRITICAL_SEQ) !== criticalSeen) break;
      }
    } finally {
      this.releaseDelivered();
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
