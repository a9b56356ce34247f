/**
 * Spatial index families: the boundary's index work, spatial sorts and world-box refits (each one stalls its boundary),
 * splits, merges, crossings and actors outside the box, every series labelled with the index's
 * `strategy`. A source without an index gets no series.
 */
import type { Registry } from 'prom-client';
import { METRIC } from '../metricNames.js';
import { createMonotonicTotals } from '../monotonicTotals.js';
import type { ScrapeReader } from '../scrapeReader.js';
import type { SpatialIndexStats } from '../source.js';
import { sourcedCounter, sourcedGauge, type Fill } from './sourced.js';

/** Registers the spatial index families on `registry`. */
export function registerSpatialMetrics(registry: Registry, reader: ScrapeReader): void {
  const totals = createMonotonicTotals();
  const indexed = (pick: (s: SpatialIndexStats) => number | undefined): Fill => (emit) => {
    const s = reader.read().spatial;
    const value = s === undefined ? undefined : pick(s);
    if (s !== undefined && value !== undefined) emit({ strategy: s.strategy }, value);
  };
  sourcedGauge(registry, METRIC.spatialIndexDuration, indexed((s) => s.indexSeconds));
  sourcedGauge(registry, METRIC.spatialPassDuration, indexed((s) => s.passSeconds));
  sourcedCounter(registry, METRIC.spatialSorts, totals, indexed((s) => s.sorts));
  sourcedCounter(registry, METRIC.spatialRefits, totals, indexed((s) => s.refits));
  sourcedGauge(registry, METRIC.spatialLastSortDuration, indexed((s) => s.lastSortSeconds));
  sourcedCounter(registry, METRIC.spatialSplits, totals, indexed((s) => s.splits));
  sourcedCounter(registry, METRIC.spatialMerges, totals, indexed((s) => s.merges));
  sourcedCounter(registry, METRIC.spatialCrossings, totals, indexed((s) => s.crossings));
  sourcedGauge(registry, METRIC.spatialOutside, indexed((s) => s.outside));
  sourcedCounter(registry, METRIC.spatialPartitionJobs, totals, indexed((s) => s.partitionJobs));
}
