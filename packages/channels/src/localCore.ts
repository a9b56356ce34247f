/**
 * The in-thread channel: one ring buffer per tier in plain arrays, positions and counters in a
 * `SharedArrayBuffer` control block (so telemetry in another thread can read them). Every method
 * must be called on the thread that created the channel; only `readChannelStats(statsBuffer)` may
 * run elsewhere. Positions are written with plain stores: one writer thread, and int32 stores do
 * not tear, so a reader sees an old or a new value, never a mix.
 */
import type {
  ChannelOptions,
  CriticalHandler,
  RecvOptions,
  RecvResult,
  SendOptions,
  SendResult,
  TryRecvResult,
  TrySendOutcome,
} from './channel.js';
import { ChannelError, reportUnhandledError } from './errors.js';
import { LocalQueues, type TierRing } from './localQueues.js';
import { POS_MASK, S_BLOCKED, S_CLOSED, S_CRITICAL_DIRECT, S_PROMOTIONS } from './layout.js';
import { resolveOptions } from './options.js';
import { CRITICAL, HIGH, LOW, NORMAL, TIERS, tierIndex, type Tier } from './tiers.js';
import { TierPicker } from './tierPicker.js';
import { Fifo } from './fifo.js';
import { abortedError, enqueueWaiter, fail, nextLive, settle, type RecvWaiter, type SendWaiter } from './waiters.js';

/** Options of `createLocalChannel`. */
export interface LocalChannelOptions extends ChannelOptions {
  /** Where an error thrown by the critical handler goes (default: re-thrown in a new macrotask). */
  readonly onHandlerError?: (error: unknown, message: unknown) => void;
}

const EMPTY = { status: 'empty' } as const;
const CLOSED = { status: 'closed' } as const;

/** The in-thread channel's state and logic; `localChannel.ts` wraps it in the two roles. */
export class LocalCore<T> {
  readonly q: LocalQueues<T>;
  /** `q.rings`, one hop shorter for trySend's hot path. */
  private readonly rings: TierRing<T>[];
  readonly ctl: Int32Array;
  private readonly picker: TierPicker;
  private readonly sendWaiters: Fifo<SendWaiter<T>>[] = TIERS.map(() => new Fifo<SendWaiter<T>>());
  private readonly recvWaiters = new Fifo<RecvWaiter<T>>();
  /** recv calls waiting (settled ones included until skipped); the fast path reads this only. */
  private waitingReceivers = 0;
  private readonly strategy: number;
  private readonly onHandlerError: (error: unknown, message: unknown) => void;
  private handler: CriticalHandler<T> | null = null;
  /** True while the receiver is inside tryRecv/drain or the critical handler. */
  private busy = false;
  closed = false;
  /** `closed || waitingReceivers !== 0`: the one flag `trySend`'s hot path reads. */
  private slow = false;
  /**
   * Set by anything that may change what `drain` should serve next (a tier became non-empty, a
   * critical message queued, a sender blocked, a nested receive); a `drain` run stops early and
   * plans again when it sees it. Over-setting only costs a re-plan.
   */
  private wake = false;

  constructor(options: LocalChannelOptions) {
    const o = resolveOptions(options, false);
    this.q = new LocalQueues<T>(o);
    this.rings = this.q.rings;
    this.ctl = this.q.ctl;
    this.picker = new TierPicker(o.starvationLimit);
    this.strategy = o.strategyCode;
    this.onHandlerError = options.onHandlerError ?? ((error) => reportUnhandledError(error));
  }

  /**
   * Hot path: a queued tier, channel open, nobody waiting in `recv`. Everything else (critical,
   * closed, a waiting receiver, a full tier) goes to `trySendSlow`.
   */
  trySend(message: T, t: number): TrySendOutcome {
    if (this.slow || t === CRITICAL) return this.trySendSlow(message, t);
    const r = this.rings[t]!;
    const tail = r.tail;
    const depth = (tail - r.head) & POS_MASK;
    if (depth >= r.cap) return this.overflow(t, message);
    r.buf[tail & r.mask] = message;
    const next = (tail + 1) & POS_MASK;
    r.tail = next;
    this.ctl[r.ti] = next;
    // A tier that just became non-empty may change what `drain` should serve next.
    if (depth === 0) this.wake = true;
    return 'ok';
  }

  private trySendSlow(message: T, t: number): TrySendOutcome {
    if (this.closed) return 'closed';
    if (t === CRITICAL && this.handler !== null && !this.busy) {
      this.ctl[S_CRITICAL_DIRECT]!++;
      this.callHandler(this.handler, message);
      return 'ok';
    }
    if (this.waitingReceivers !== 0 && !(t === CRITICAL && this.handler !== null)) {
      const waiter = nextLive(this.recvWaiters);
      this.setWaitingReceivers(this.recvWaiters.length);
      if (waiter !== undefined) {
        settle(waiter, { status: 'ok', value: message, tier: TIERS[t]! });
        return 'ok';
      }
    }
    this.wake = true;
    const r = this.rings[t]!;
    if (r.depth >= r.cap) return this.overflow(t, message);
    this.q.push(t, message);
    return 'ok';
  }

  /** A full tier under the overflow strategy (codes of `STRATEGIES`). */
  private overflow(t: number, message: T): 'ok' | 'full' {
    this.wake = true;
    this.q.countOverflow(this.strategy);
    if (this.strategy !== 2) return 'full';
    this.q.shift(t);
    this.q.push(t, message);
    return 'ok';
  }

  private setWaitingReceivers(count: number): void {
    this.waitingReceivers = count;
    this.slow = this.closed || count !== 0;
  }

  send(message: T, options: SendOptions | undefined): Promise<SendResult> {
    const signal = options?.signal;
    if (signal?.aborted === true) return Promise.reject(abortedError(message, signal));
    const t = tierIndex(options?.tier);
    const outcome = this.trySend(message, t);
    if (outcome === 'ok') return Promise.resolve('ok');
    if (outcome === 'closed') return Promise.reject(closedError(message));
    if (this.strategy === 1) return Promise.resolve('dropped');
    if (this.strategy === 3) return Promise.reject(new ChannelError('CHANNEL_FULL', `tier ${TIERS[t]} is full (strategy error)`, message));
    this.ctl[S_BLOCKED]!++;
    this.wake = true;
    return enqueueWaiter<'ok', SendWaiter<T>>(
      this.sendWaiters[t]!,
      (resolve, reject) => ({ message, settled: false, resolve, reject, signal, onAbort: undefined }),
      (waiter) => {
        this.ctl[S_BLOCKED]!--;
        return abortedError(waiter.message, signal);
      },
    );
  }

  /** After a slot of tier `t` freed: the oldest blocked sender of that tier takes it. */
  private refill(t: number): void {
    const waiter = nextLive(this.sendWaiters[t]!);
    if (waiter === undefined) return;
    this.ctl[S_BLOCKED]!--;
    this.q.push(t, waiter.message);
    settle(waiter, 'ok');
  }

  private callHandler(handler: CriticalHandler<T>, message: T): void {
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

  /** Hands queued critical messages to the handler, if one is registered. */
  private flushCritical(): void {
    const handler = this.handler;
    if (handler === null) return;
    while (this.q.depth(CRITICAL) > 0) {
      const message = this.q.shift(CRITICAL);
      this.refill(CRITICAL);
      this.callHandler(handler, message);
    }
  }

  tryRecv(): TryRecvResult<T> {
    this.wake = true; // a drain further up the stack must re-plan
    this.flushCritical();
    const q = this.q;
    let t = CRITICAL;
    if (q.depth(CRITICAL) === 0) {
      if (this.picker.plan(q.fillDepths(), 1) === 0) return this.closed ? CLOSED : EMPTY;
      t = this.picker.tier;
      if (this.picker.promoted) this.ctl[S_PROMOTIONS]!++;
    }
    const value = q.shift(t);
    this.refill(t);
    return { status: 'ok', value, tier: TIERS[t]! };
  }

  recv(options: RecvOptions | undefined): Promise<RecvResult<T>> {
    const result = this.tryRecv();
    if (result.status !== 'empty') return Promise.resolve(result);
    const signal = options?.signal;
    if (signal?.aborted === true) return Promise.reject(recvAborted(signal));
    this.setWaitingReceivers(this.waitingReceivers + 1);
    return enqueueWaiter<RecvResult<T>, RecvWaiter<T>>(
      this.recvWaiters,
      (resolve, reject) => ({ settled: false, resolve, reject, signal, onAbort: undefined }),
      () => recvAborted(signal),
    );
  }

  drain(max: number, fn: (message: T, tier: Tier) => void): number {
    const q = this.q;
    const rings = q.rings;
    const critical = rings[CRITICAL]!;
    const picker = this.picker;
    const wasBusy = this.busy;
    this.busy = true;
    let n = 0;
    try {
      while (n < max) {
        this.flushCritical();
        if (critical.depth > 0) {
          const message = q.shift(CRITICAL);
          this.refill(CRITICAL);
          n++;
          fn(message, 'critical');
          continue;
        }
        const depths = q.fillDepths();
        let run = picker.plan(depths, max - n);
        if (run === 0) break;
        const t = picker.tier;
        if (picker.promoted) this.ctl[S_PROMOTIONS]!++;
        // Alone in the guard's view (no other tier non-empty), the run need not stop at the
        // starvation limit: a tier that fills meanwhile sets `wake` and ends it.
        if (depths[HIGH]! + depths[NORMAL]! + depths[LOW]! === depths[t]!) run = Math.min(max - n, depths[t]!);
        const r = rings[t]!;
        const name = TIERS[t]!;
        const waiters = this.sendWaiters[t]!;
        this.wake = false;
        if (waiters.length !== 0) {
          // Blocked senders of this tier take each freed slot in turn.
          for (let i = 0; i < run; i++) {
            const message = q.shift(t);
            this.refill(t);
            n++;
            fn(message, name);
            if (this.wake) break;
          }
          continue;
        }
        n += this.deliverRun(r, run, fn, name);
        this.ctl[r.hi] = r.head;
      }
    } finally {
      q.publishHeads();
      this.busy = wasBusy;
      this.wake = true; // a drain further up the stack must re-plan
    }
    return n;
  }

  /**
   * The hot loop, in its own small function so V8 inlines `fn` into it (inside `drain` the
   * inlining budget ran out). `r.head` is written before each `fn` (fn may act on this channel)
   * and kept in a local: anything fn does that moves it (a nested receive, drop-oldest) sets
   * `wake`, which ends the run before the local is used again.
   */
  private deliverRun(r: TierRing<T>, run: number, fn: (message: T, tier: Tier) => void, name: Tier): number {
    const buf = r.buf;
    const mask = r.mask;
    let head = r.head;
    let i = 0;
    while (i < run) {
      const slot = head & mask;
      const message = buf[slot] as T;
      buf[slot] = undefined;
      head = (head + 1) & POS_MASK;
      r.head = head;
      i++;
      fn(message, name);
      if (this.wake) break;
    }
    return i;
  }

  onCritical(handler: CriticalHandler<T> | null): void {
    this.handler = handler;
    if (!this.busy) this.flushCritical();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.slow = true;
    this.ctl[S_CLOSED] = 1;
    for (const fifo of this.sendWaiters) {
      for (let w = nextLive(fifo); w !== undefined; w = nextLive(fifo)) {
        this.ctl[S_BLOCKED]!--;
        fail(w, closedError(w.message));
      }
    }
    // Receivers only wait while every queue is empty, so closed means drained for them.
    for (let w = nextLive(this.recvWaiters); w !== undefined; w = nextLive(this.recvWaiters)) settle(w, CLOSED);
    this.setWaitingReceivers(0);
  }
}

function closedError<T>(message: T): ChannelError<T> {
  return new ChannelError('CHANNEL_CLOSED', 'send on a closed channel', message);
}

function recvAborted(signal: AbortSignal | undefined): ChannelError {
  return new ChannelError('CHANNEL_ABORTED', 'recv aborted', undefined, { cause: signal?.reason });
}

