/**
 * Time behind a port: supervisors read `now()` for restart intensity and schedule backoff
 * restarts and shutdown timeouts with `setTimer`. Infrastructure uses {@link systemClock}; tests
 * use `createManualClock()` from `@concurrengine/supervisor/testing`.
 */

/** A scheduled callback that can be cancelled. Cancelling a fired or cancelled timer is a no-op. */
export interface Timer {
  cancel(): void;
}

/** The time source of a supervisor. Units are milliseconds for trees. */
export interface Clock {
  /** Current time; must never go backwards. */
  now(): number;
  /** Calls `fn` once, `ms` from now. */
  setTimer(ms: number, fn: () => void): Timer;
}

/**
 * Wall-clock time (`performance.now()`, `setTimeout`). The globals are read at each call, not
 * captured at import, so test spies and fake timers installed later still take effect.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};
