/** The whole-run tick percentiles: within one 0.05 ms bucket above the exact percentile, the max exact. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { TickTimes } from '../src/tickTimes.js';

const exact = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

describe('TickTimes.sinceStart', () => {
  it('gives p50 and p99 of every tick to 0.05 ms (not only the recent window) and the exact max (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 3000, noNaN: true }), { minLength: 1, maxLength: 3000 }), (ms) => {
        const times = new TickTimes(16, 33.3); // a window far shorter than the run
        for (const t of ms) times.add(t);
        const sorted = [...ms].sort((a, b) => a - b);
        const all = times.sinceStart();
        expect(all.ticks).toBe(ms.length);
        expect(all.long).toBe(ms.filter((t) => t > 33.3).length); // exact, not to a bucket
        expect(all.max).toBe(sorted[sorted.length - 1]);
        for (const [p, got] of [[50, all.p50], [99, all.p99]] as const) {
          const want = exact(sorted, p);
          expect(got).toBeGreaterThanOrEqual(want <= 2000 ? want : 0);
          if (want <= 2000) expect(got).toBeLessThanOrEqual(want + 0.05 + 1e-9);
          expect(got).toBeLessThanOrEqual(all.max);
        }
      }),
    );
  });

  it('is all zeros before the first tick and after reset', () => {
    const times = new TickTimes();
    expect(times.sinceStart()).toEqual({ p50: 0, p99: 0, max: 0, ticks: 0, long: 0 });
    times.add(12);
    times.reset();
    expect(times.sinceStart()).toEqual({ p50: 0, p99: 0, max: 0, ticks: 0, long: 0 });
  });
});
