/** Scheduler families: dispatch paths, steals, parks, busy time and ratio, per worker. */
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import { METRIC } from '../metricNames.js';
import { createMonotonicTotals } from '../monotonicTotals.js';
import { createRateTracker } from '../rateTracker.js';
import type { ScrapeReader } from '../scrapeReader.js';
import { sourcedCounter, sourcedGauge, type Emit } from './sourced.js';
import type { ThreadStats } from '../source.js';

/** Registers the per-worker families on `registry`. */
export function registerThreadMetrics(registry: Registry, reader: ScrapeReader, clock: Clock): void {
  const totals = createMonotonicTotals();
  const rates = createRateTracker(clock);
  const each = (emit: Emit, pick: (t: ThreadStats) => number | undefined): void => {
    for (const t of reader.read().threads) {
      const value = pick(t);
      if (value !== undefined) emit({ worker: String(t.worker) }, value);
    }
  };
  sourcedGauge(registry, METRIC.workers, (emit) => emit({}, reader.read().threads.length));
  sourcedCounter(registry, METRIC.dispatches, totals, (emit) => {
    for (const t of reader.read().threads) {
      emit({ worker: String(t.worker), path: 'local' }, t.localPops);
      emit({ worker: String(t.worker), path: 'stolen' }, t.stolenJobs);
    }
  });
  sourcedCounter(registry, METRIC.steals, totals, (emit) => each(emit, (t) => t.steals));
  sourcedCounter(registry, METRIC.failedSteals, totals, (emit) => each(emit, (t) => t.failedSteals));
  sourcedCounter(registry, METRIC.parks, totals, (emit) => each(emit, (t) => t.parks));
  sourcedCounter(registry, METRIC.busySeconds, totals, (emit) => each(emit, (t) => t.busyMs / 1000));
  sourcedGauge(registry, METRIC.busyRatio, (emit) => each(emit, (t) => rates.ratio(t.worker, t.busyMs)));
  sourcedCounter(registry, METRIC.jobsFailed, totals, (emit) => each(emit, (t) => t.jobsFailed));
}
