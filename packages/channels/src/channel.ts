/**
 * The channel interface: a `Sender` side any number of producers may hold, and a `Receiver` side
 * owned by exactly one consumer. Engine code accepts these interfaces, never an implementation,
 * so a user's own channel can be swapped in.
 */
import type { ChannelStats } from './stats.js';
import type { Tier } from './tiers.js';

/** Result of a non-blocking send. On `'full'` and `'closed'` the caller still owns the message. */
export type TrySendOutcome = 'ok' | 'full' | 'closed';

/** Result of `send`: queued, or discarded by the `drop-newest` strategy (and counted). */
export type SendResult = 'ok' | 'dropped';

/**
 * What a full tier does to a new message.
 * - `back-pressure` (default): `trySend` says `'full'`; `send` waits for space.
 * - `drop-newest`: the new message is refused and counted; `send` resolves `'dropped'`.
 * - `drop-oldest` (sliding): the oldest queued message of the tier is evicted and counted.
 * - `error`: `trySend` says `'full'` and counts it; `send` rejects with `CHANNEL_FULL`.
 */
export type OverflowStrategy = 'back-pressure' | 'drop-newest' | 'drop-oldest' | 'error';

/** Options of {@link Sender.send}. */
export interface SendOptions {
  /** Defaults to `normal`. */
  readonly tier?: Tier;
  /** Aborting rejects the pending send with `CHANNEL_ABORTED`; the message is not queued. */
  readonly signal?: AbortSignal;
}

/** Options of {@link Receiver.recv}. */
export interface RecvOptions {
  /** Aborting rejects the pending receive with `CHANNEL_ABORTED`; no message is lost. */
  readonly signal?: AbortSignal;
}

/** A received message and the tier it came through. */
export interface Received<T> {
  readonly status: 'ok';
  readonly value: T;
  readonly tier: Tier;
}

/** Result of `tryRecv`: a message, nothing yet, or closed and fully drained. */
export type TryRecvResult<T> = Received<T> | { readonly status: 'empty' } | { readonly status: 'closed' };

/** Result of `recv`: a message, or closed and fully drained. */
export type RecvResult<T> = Received<T> | { readonly status: 'closed' };

/** Handler of the critical lane, called on the receiver's thread. */
export type CriticalHandler<T> = (message: T) => void;

/** The producing side. Any number of holders; see each implementation for which threads. */
export interface Sender<T> {
  /** Queues `message` without waiting. Never throws for full or closed: those are outcomes. */
  trySend(message: T, tier?: Tier): TrySendOutcome;
  /**
   * Queues messages from the front of `messages`, in order, all in `tier`, without waiting; returns
   * how many were queued. It stops at the first message `trySend` would not have queued (tier full
   * or channel closed; that message is counted by the strategy exactly as `trySend` counts it),
   * so `messages[returned…]` still belong to the caller. Same outcome as calling `trySend` in a
   * loop, but the cross-thread channel reserves and publishes each run of slots with one atomic
   * operation instead of one per message.
   * @throws ChannelError `CHANNEL_UNKNOWN_RECORD_TYPE` / `CHANNEL_RECORD_TOO_LARGE` (cross-thread,
   * before anything is queued) or `CHANNEL_RECORD_INVALID` (the messages before the bad one are queued).
   * @example
   * let i = 0;
   * while (i < batch.length) { i += sender.trySendMany(batch.slice(i)); if (i < batch.length) await sender.send(batch[i++]!); }
   */
  trySendMany(messages: ArrayLike<T>, tier?: Tier): number;
  /**
   * Queues `message`, waiting for space under `back-pressure`. Rejects with a `ChannelError`
   * whose `value` is the message: `CHANNEL_CLOSED`, `CHANNEL_ABORTED`, or `CHANNEL_FULL` (`error`
   * strategy). Blocked senders of a tier resume in FIFO order (in-thread) as space frees.
   */
  send(message: T, options?: SendOptions): Promise<SendResult>;
  /** Closes the channel for every sender; queued messages stay receivable. Idempotent. */
  close(): void;
}

/** The consuming side. Exactly one consumer (one thread) uses it. */
export interface Receiver<T> {
  /** Takes the next message: the critical lane first, then tiers by priority and the guard. */
  tryRecv(): TryRecvResult<T>;
  /** Waits for the next message, or for the channel to be closed and drained. */
  recv(options?: RecvOptions): Promise<RecvResult<T>>;
  /**
   * Hands up to `max` queued messages to `fn` in receive order and returns how many it handed.
   * The hot path: no promise, no result object per message. `fn` must not keep `message` past
   * its return (the cross-thread channel may reuse it). If `fn` throws, that message counts as
   * received and the error propagates.
   */
  drain(max: number, fn: (message: T, tier: Tier) => void): number;
  /**
   * Registers (or with `null` removes) the critical handler: critical messages then go to it
   * instead of `recv`/`drain` — directly from `trySend` when the receiver is idle (in-thread), or
   * from the dedicated slot before any other message is received.
   */
  onCritical(handler: CriticalHandler<T> | null): void;
  /** Closes the channel: no new sends; what was sent stays receivable. Idempotent. */
  close(): void;
}

/** Both sides plus the shared counters. */
export interface Channel<T> {
  readonly sender: Sender<T>;
  readonly receiver: Receiver<T>;
  /** The control block; `readChannelStats(statsBuffer)` works from any thread. */
  readonly statsBuffer: SharedArrayBuffer;
  /** Same as `readChannelStats(statsBuffer)`. */
  stats(): ChannelStats;
}

/** Options shared by both implementations. */
export interface ChannelOptions {
  /** Messages per tier (high, normal, low). In-thread: any integer ≥ 1; cross-thread: a power of two ≥ 2. */
  readonly capacity: number;
  /** Messages the critical slot holds while the receiver is busy (default 16; cross-thread: power of two). */
  readonly criticalCapacity?: number;
  /** Default `back-pressure`. Applies to every tier, the critical slot included. */
  readonly strategy?: OverflowStrategy;
  /**
   * Starvation guard: after a non-empty lower tier has been passed over this many times, the next
   * receipt comes from it (default 32). Any non-empty tier is served at least once in every
   * `starvationLimit + 2` receipts.
   */
  readonly starvationLimit?: number;
}
