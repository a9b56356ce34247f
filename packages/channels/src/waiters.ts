/**
 * Pending `send`/`recv` calls of the in-thread channel, with abort wiring. A waiter is settled
 * exactly once: by hand-off, by close, or by its signal (then it stays in its FIFO, marked
 * settled, and is skipped when reached).
 */
import type { RecvResult } from './channel.js';
import { ChannelError } from './errors.js';
import { Fifo } from './fifo.js';

interface Waiter<R> {
  settled: boolean;
  resolve(result: R): void;
  reject(error: ChannelError): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** A blocked sender and the message it still owns. */
export interface SendWaiter<T> extends Waiter<'ok'> {
  readonly message: T;
}

export type RecvWaiter<T> = Waiter<RecvResult<T>>;

function detach<R>(waiter: Waiter<R>): void {
  waiter.settled = true;
  if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
}

/** Settles `waiter` with `result` (no-op when already settled). */
export function settle<R>(waiter: Waiter<R>, result: R): void {
  if (waiter.settled) return;
  detach(waiter);
  waiter.resolve(result);
}

/** Rejects `waiter` with `error` (no-op when already settled). */
export function fail<R>(waiter: Waiter<R>, error: ChannelError): void {
  if (waiter.settled) return;
  detach(waiter);
  waiter.reject(error);
}

/** Oldest waiter that is not settled yet, removed from `fifo`. */
export function nextLive<W extends { settled: boolean }>(fifo: Fifo<W>): W | undefined {
  for (let w = fifo.shift(); w !== undefined; w = fifo.shift()) if (!w.settled) return w;
  return undefined;
}

/** Creates a waiter in `fifo`; `onAborted` runs (once) if `signal` fires first. */
export function enqueueWaiter<R, W extends Waiter<R>>(
  fifo: Fifo<W>,
  make: (resolve: (r: R) => void, reject: (e: ChannelError) => void) => W,
  onAborted: (waiter: W) => ChannelError,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const waiter = make(resolve, reject);
    const signal = waiter.signal;
    if (signal !== undefined) {
      waiter.onAbort = () => fail(waiter, onAborted(waiter));
      signal.addEventListener('abort', waiter.onAbort, { once: true });
    }
    fifo.push(waiter);
  });
}

/** The error a send rejects with when aborted; the message goes back in `value`. */
export function abortedError<T>(message: T, signal: AbortSignal | undefined): ChannelError<T> {
  return new ChannelError('CHANNEL_ABORTED', 'send aborted before the message was queued', message, { cause: signal?.reason });
}
