/**
 * Turns cumulative busy milliseconds into a busy ratio over the interval since the previous read.
 * Each consumer (the scrape, the dashboard stream) owns one, so they do not disturb each other.
 */
import type { Clock } from './clock.js';

export interface RateTracker {
  /** Share of the elapsed wall time that `busyMs` grew by for `key`, clamped to 0..1. */
  ratio(key: number, busyMs: number): number;
  /** Growth of a cumulative counter for `key` since the previous call (0 on the first call or a reset). */
  delta(key: string, total: number): number;
}

/** Creates a tracker; the first interval runs from its creation. */
export function createRateTracker(clock: Clock): RateTracker {
  const created = clock.now();
  const busy = new Map<number, { ms: number; at: number }>();
  const totals = new Map<string, number>();
  return {
    ratio(key, busyMs) {
      const now = clock.now();
      const previous = busy.get(key);
      busy.set(key, { ms: busyMs, at: now });
      const sinceMs = previous === undefined ? created : previous.at;
      const grown = previous === undefined ? busyMs : busyMs - previous.ms;
      const elapsed = now - sinceMs;
      if (!(elapsed > 0) || !(grown > 0)) return 0;
      return Math.min(1, grown / elapsed);
    },
    delta(key, total) {
      const previous = totals.get(key);
      totals.set(key, total);
      return previous === undefined || total < previous ? 0 : total - previous;
    },
  };
}
