/**
 * Stopping one child with a deadline (OTP's `shutdown`): the child's `stop()` either settles or
 * the deadline passes; either way the caller goes on, and a rejection or timeout is reported.
 */
import type { Child } from './child.js';
import type { Clock } from './clock.js';

/** Turns anything thrown into an Error, keeping the original as `cause`. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(`non-Error thrown: ${String(thrown)}`, { cause: thrown });
}

/**
 * Resolves once `child.stop()` settled or `shutdownMs` passed on `clock`, whichever is first;
 * `onFailure` hears about a rejection, a synchronous throw or the timeout. Never rejects.
 */
export function stopWithin(child: Child, shutdownMs: number, clock: Clock, onFailure: (reason: Error | 'timeout') => void): Promise<void> {
  return new Promise<void>((resolve) => {
    let settled = false;
    const timer = Number.isFinite(shutdownMs) ? clock.setTimer(shutdownMs, () => done('timeout')) : undefined;
    function done(failure?: Error | 'timeout'): void {
      if (settled) return;
      settled = true;
      timer?.cancel();
      if (failure !== undefined) onFailure(failure);
      resolve();
    }
    let stopped: Promise<void>;
    try {
      stopped = Promise.resolve(child.stop());
    } catch (thrown) {
      done(toError(thrown));
      return;
    }
    stopped.then(
      () => done(),
      (thrown: unknown) => done(toError(thrown)),
    );
  });
}
