/**
 * The receiving side of the cross-thread channel: exactly one per channel, used by one thread
 * (the channel claims the role in shared memory on first use). Idle waiting parks on
 * `Atomics.waitAsync` (no spinning): `recv` announces itself in W_PARKED, re-checks the rings, then
 * waits on W_RECV_SEQ, which a sender bumps after publishing whenever it sees W_PARKED > 0.
 */
import type { CriticalHandler, Receiver, RecvOptions, RecvResult, TryRecvResult } from './channel.js';
import type { RecordCodec, RecordOf, RecordSchema } from './codec.js';
import { ChannelError } from './errors.js';
import { POS_MASK, S_BLOCKED, S_CRITICAL_DIRECT, S_PROMOTIONS, W_CRITICAL_SEQ, W_PARKED, W_RECV_SEQ, W_SPACE_SEQ } from './layout.js';
import { closeShared, waitChange } from './sharedSender.js';
import type { SharedRings } from './sharedRings.js';
import { CRITICAL, HIGH, LOW, TIERS, type Tier } from './tiers.js';
import { TierPicker } from './tierPicker.js';

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
   * Records claimed and decoded as one batch but not yet handed out (because `fn` threw, or a
   * critical record arrived mid-batch). They come before anything but the critical lane.
   */
  private readonly backlog: RecordOf<S>[] = [];
  private backlogAt = 0;
  private backlogTier = 0;

  constructor(
    private readonly rings: SharedRings,
    private readonly codec: RecordCodec<S>,
    starvationLimit: number,
    private readonly onHandlerError: (error: unknown, message: unknown) => void,
  ) {
    this.picker = new TierPicker(starvationLimit);
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
    if (this.backlogAt < this.backlog.length) {
      this.lastTier = this.backlogTier;
      return this.shiftBacklog();
    }
    const depths = this.depths;
    for (let t = HIGH; t <= LOW; t++) depths[t] = this.rings.depth(t);
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

  private shiftBacklog(): RecordOf<S> {
    const m = this.backlog[this.backlogAt++]!;
    if (this.backlogAt === this.backlog.length) {
      this.backlog.length = 0;
      this.backlogAt = 0;
    }
    return m;
  }

  /** Claims up to `max` records of tier `t` at once, decodes them into the backlog, frees their slots. */
  private takeBatch(t: number, max: number): number {
    const rings = this.rings;
    const k = rings.claimMany(t, max);
    const base = rings.claimed;
    const backlog = this.backlog;
    this.backlogTier = t;
    let failure: unknown;
    for (let i = 0; i < k; i++) {
      const pos = (base + i) & POS_MASK;
      const offset = rings.offset(t, pos);
      // Every claimed slot is freed, even after a corrupt record (reported once all are freed).
      try {
        if (rings.i32[offset >> 2] !== 0) backlog.push(this.codec.decode(rings.views, offset));
      } catch (error) {
        failure ??= error;
      }
      rings.release(t, pos);
    }
    if (failure !== undefined) throw failure;
    return k;
  }

  tryRecv(): TryRecvResult<RecordOf<S>> {
    const m = this.next();
    if (m === undefined) return this.backlogAt === this.backlog.length && this.rings.closedAndDrained() ? CLOSED : EMPTY;
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
    let n = 0;
    try {
      while (n < max) {
        this.flushCritical();
        const c = this.take(CRITICAL);
        if (c !== undefined) {
          n++;
          fn(c, 'critical');
          continue;
        }
        if (this.backlogAt < this.backlog.length) {
          n += this.deliverBacklog(fn, TIERS[this.backlogTier]!, max - n);
          continue;
        }
        for (let t = HIGH; t <= LOW; t++) depths[t] = rings.depth(t);
        const run = picker.plan(depths, max - n);
        if (run === 0) break;
        const t = picker.tier;
        if (picker.promoted) Atomics.add(rings.i32, S_PROMOTIONS, 1);
        const name = TIERS[t]!;
        // One CAS claims the run; the records are decoded and their slots freed before fn runs.
        const got = this.takeBatch(t, run);
        this.wakeSenders();
        if (got === 0) break; // only records still being written: come back later
        n += this.deliverBacklog(fn, name);
      }
    } finally {
      this.busy = wasBusy;
    }
    return n;
  }

  /** Hands backlog records to `fn` (at most `max`), stopping early when a critical record is ready. */
  private deliverBacklog(fn: (message: RecordOf<S>, tier: Tier) => void, name: Tier, max = Infinity): number {
    let n = 0;
    while (this.backlogAt < this.backlog.length && n < max) {
      const m = this.shiftBacklog();
      n++;
      fn(m, name);
      if (this.rings.hasPublished(CRITICAL)) break;
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
