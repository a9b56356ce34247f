/** Channel families: depth per tier, blocked senders, drops and rejections, per channel. */
import type { Registry } from 'prom-client';
import { METRIC } from '../metricNames.js';
import { createMonotonicTotals } from '../monotonicTotals.js';
import type { ScrapeReader } from '../scrapeReader.js';
import { sourcedCounter, sourcedGauge } from './sourced.js';

/** Registers the per-channel families on `registry`. */
export function registerQueueMetrics(registry: Registry, reader: ScrapeReader): void {
  const totals = createMonotonicTotals();
  sourcedGauge(registry, METRIC.queueDepth, (emit) => {
    for (const q of reader.read().queues) {
      for (const [tier, depth] of Object.entries(q.depth)) emit({ channel: q.channel, tier }, depth);
    }
  });
  sourcedGauge(registry, METRIC.blockedSenders, (emit) => {
    for (const q of reader.read().queues) if (q.blockedSenders !== undefined) emit({ channel: q.channel }, q.blockedSenders);
  });
  sourcedCounter(registry, METRIC.dropped, totals, (emit) => {
    for (const q of reader.read().queues) {
      if (q.dropped === undefined) continue;
      emit({ channel: q.channel, side: 'newest' }, q.dropped.newest);
      emit({ channel: q.channel, side: 'oldest' }, q.dropped.oldest);
    }
  });
  sourcedCounter(registry, METRIC.rejected, totals, (emit) => {
    for (const q of reader.read().queues) if (q.rejected !== undefined) emit({ channel: q.channel }, q.rejected);
  });
}
