/**
 * Time behind an interface (STYLE.md §2), so tests can drive rates and timestamps by hand.
 * The telemetry package only reads a monotonic clock; timers stay Node's own.
 */

/** A monotonic millisecond clock. */
export interface Clock {
  /** Milliseconds from an arbitrary origin; never goes backwards. */
  now(): number;
}

/** `performance.now()`, looked up on each call so a test's spy on it takes effect. */
export const systemClock: Clock = {
  now: () => performance.now(),
};
