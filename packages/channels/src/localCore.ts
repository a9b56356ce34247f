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
import { LocalQueues } from './localQueues.js';
import { POS_MASK, S_BLOCKED, S_CLOSED, S_CRITICAL_DIRECT, S_PROMOTIONS, headIndex, tailIndex } from './layout.js';
import { resolveOptions } from './options.js';
import { CRITICAL, TIERS, tierIndex, type Tier } from './tiers.js';
import { TierPicker } from './tierPicker.js';
import { Fifo } from './fifo.js';
import { abortedError, enqueueWaiter, fail, nextLive, settle, type RecvWaiter, type SendWaiter } from './waiters.js';

const CRITICAL_TAIL = tailIndex(0);
const CRITICAL_HEAD = headIndex(0);

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

  constructor(options: LocalChannelOptions) {
    const o = resolveOptions(options, false);
    this.q = new LocalQueues<T>(o);
    this.ctl = this.q.ctl;
    this.picker = new TierPicker(o.starvationLimit);
    this.strategy = o.strategyCode;
    this.onHandlerError = options.onHandlerError ?? ((error) => reportUnhandledError(error));
  }

  trySend(message: T, t: number): TrySendOutcome {
    if (this.closed) return 'closed';
    if (t === CRITICAL && this.handler !== null && !this.busy) {
      this.ctl[S_CRITICAL_DIRECT]!++;
      this.callHandler(this.handler, message);
      return 'ok';
    }
    if (this.waitingReceivers !== 0 && !(t === CRITICAL && this.handler !== null)) {
      const waiter = nextLive(this.recvWaiters);
      this.waitingReceivers = this.recvWaiters.length;
      if (waiter !== undefined) {
        settle(waiter, { status: 'ok', value: message, tier: TIERS[t]! });
        return 'ok';
      }
    }
    return this.q.offer(t, message, this.strategy);
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
    this.waitingReceivers++;
    return enqueueWaiter<RecvResult<T>, RecvWaiter<T>>(
      this.recvWaiters,
      (resolve, reject) => ({ settled: false, resolve, reject, signal, onAbort: undefined }),
      () => recvAborted(signal),
    );
  }

  drain(max: number, fn: (message: T, tier: Tier) => void): number {
    const q = this.q;
    const wasBusy = this.busy;
    this.busy = true;
    let n = 0;
    try {
      while (n < max) {
        this.flushCritical();
        if (q.depth(CRITICAL) > 0) {
          const message = q.shift(CRITICAL);
          this.refill(CRITICAL);
          n++;
          fn(message, 'critical');
          continue;
        }
        const run = this.picker.plan(q.fillDepths(), max - n);
        if (run === 0) break;
        const t = this.picker.tier;
        if (this.picker.promoted) this.ctl[S_PROMOTIONS]!++;
        const name = TIERS[t]!;
        const ctl = this.ctl;
        const ring = q.rings[t]!;
        const mask = q.masks[t]!;
        const hi = headIndex(t);
        const waiters = this.sendWaiters[t]!;
        for (let i = 0; i < run; i++) {
          // Re-read the head each time: fn may receive from this channel itself.
          const head = ctl[hi]!;
          const slot = head & mask;
          const message = ring[slot] as T;
          ring[slot] = undefined;
          ctl[hi] = (head + 1) & POS_MASK;
          if (waiters.length !== 0) this.refill(t);
          n++;
          fn(message, name);
          // A critical message sent from inside fn is read before anything else.
          if (ctl[CRITICAL_TAIL] !== ctl[CRITICAL_HEAD]) break;
        }
      }
    } finally {
      this.busy = wasBusy;
    }
    return n;
  }

  onCritical(handler: CriticalHandler<T> | null): void {
    this.handler = handler;
    if (!this.busy) this.flushCritical();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ctl[S_CLOSED] = 1;
    for (const fifo of this.sendWaiters) {
      for (let w = nextLive(fifo); w !== undefined; w = nextLive(fifo)) {
        this.ctl[S_BLOCKED]!--;
        fail(w, closedError(w.message));
      }
    }
    // Receivers only wait while every queue is empty, so closed means drained for them.
    for (let w = nextLive(this.recvWaiters); w !== undefined; w = nextLive(this.recvWaiters)) settle(w, CLOSED);
    this.waitingReceivers = 0;
  }
}

function closedError<T>(message: T): ChannelError<T> {
  return new ChannelError('CHANNEL_CLOSED', 'send on a closed channel', message);
}

function recvAborted(signal: AbortSignal | undefined): ChannelError {
  return new ChannelError('CHANNEL_ABORTED', 'recv aborted', undefined, { cause: signal?.reason });
}

