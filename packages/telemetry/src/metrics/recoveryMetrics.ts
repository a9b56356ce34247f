/**
 * Recovery families: supervision (restarts are in worldMetrics, by kind), the snapshot writer and
 * the rewind window. A source that reports none of them gets no series.
 */
import type { Registry } from 'prom-client';
import { METRIC } from '../metricNames.js';
import { createMonotonicTotals } from '../monotonicTotals.js';
import type { ScrapeReader } from '../scrapeReader.js';
import type { SnapshotStats, SupervisionStats } from '../source.js';
import { sourcedCounter, sourcedGauge, type Emit, type Fill } from './sourced.js';

/** Emits `value` as the family's one series, when the source reported it. */
const one = (emit: Emit, value: number | undefined): void => {
  if (value !== undefined) emit({}, value);
};

/** Registers the supervision, snapshot and retention families on `registry`. */
export function registerRecoveryMetrics(registry: Registry, reader: ScrapeReader): void {
  const totals = createMonotonicTotals();
  const supervised = (pick: (s: SupervisionStats) => number | undefined): Fill => (emit) => {
    const s = reader.read().supervision;
    if (s !== undefined) one(emit, pick(s));
  };
  const snapshots = (pick: (s: SnapshotStats) => number | undefined): Fill => (emit) => {
    const s = reader.read().snapshots;
    if (s !== undefined) one(emit, pick(s));
  };
  sourcedCounter(registry, METRIC.backoffs, totals, supervised((s) => s.backoffs));
  sourcedCounter(registry, METRIC.supervisionEscalations, totals, supervised((s) => s.escalations));
  sourcedCounter(registry, METRIC.jobsRedone, totals, supervised((s) => s.jobsRedone));
  sourcedGauge(registry, METRIC.lastRedoDuration, supervised((s) => s.lastRedoSeconds));
  sourcedCounter(registry, METRIC.snapshotsWritten, totals, snapshots((s) => s.written));
  sourcedCounter(registry, METRIC.snapshotsSkipped, totals, snapshots((s) => s.skipped));
  sourcedCounter(registry, METRIC.snapshotsFailed, totals, snapshots((s) => s.failed));
  sourcedCounter(registry, METRIC.snapshotBytesWritten, totals, snapshots((s) => s.bytesWritten));
  sourcedGauge(registry, METRIC.retainedTicks, (emit) => one(emit, reader.read().retained?.ticks));
  sourcedGauge(registry, METRIC.retainedBytes, (emit) => one(emit, reader.read().retained?.bytes));
}
