/** The scrape cache on its own: shared renders, reuse for the interval, failures cached too. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScrapeCache, type RenderOutcome } from '../src/server/scrapeCache.js';

describe('createScrapeCache', () => {
  it('shares one render among overlapping gets and reuses it until the interval has passed', async () => {
    let now = 0;
    let renders = 0;
    let finish!: (outcome: RenderOutcome) => void;
    const cache = createScrapeCache(() => new Promise((resolve) => ((renders++), (finish = resolve))), 1000, () => now);
    const overlapping = [cache.get(), cache.get(), cache.get()];
    finish({ ok: true, text: 'a' });
    expect(await Promise.all(overlapping)).toEqual([{ ok: true, text: 'a' }, { ok: true, text: 'a' }, { ok: true, text: 'a' }]);
    now = 999;
    expect(await cache.get()).toEqual({ ok: true, text: 'a' });
    expect(renders).toBe(1);
    now = 1000;
    const next = cache.get();
    finish({ ok: false, code: 'TELEMETRY_SOURCE_FAILED' });
    expect(await next).toEqual({ ok: false, code: 'TELEMETRY_SOURCE_FAILED' });
    expect(await cache.get()).toEqual({ ok: false, code: 'TELEMETRY_SOURCE_FAILED' }); // cached as well
    expect(renders).toBe(2);
  });

  it('renders at most once per interval, whatever the timing of gets and renders (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 300 }), gets: fc.integer({ min: 1, max: 20 }), renderMs: fc.integer({ min: 0, max: 200 }) }), { maxLength: 40 }),
        async (interval, steps) => {
          let now = 0;
          const starts: number[] = [];
          let renderMs = 0;
          let pending: Array<() => void> = [];
          const cache = createScrapeCache(
            () => {
              starts.push(now);
              const end = now + renderMs;
              return new Promise<RenderOutcome>((resolve) => pending.push(() => ((now = Math.max(now, end)), resolve({ ok: true, text: String(starts.length) }))));
            },
            interval,
            () => now,
          );
          for (const step of steps) {
            now += step.gap;
            renderMs = step.renderMs;
            const gets = Array.from({ length: step.gets }, () => cache.get());
            for (const done of pending.splice(0)) done();
            await Promise.all(gets);
          }
          // Each render starts at least `interval` after the previous one finished.
          for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(interval);
          pending = [];
        },
      ),
      { numRuns: 200, seed: 15_9 },
    );
  }, 20_000);
});
