/** World families: actors by kind and their counters, partitions and their load, lifecycle state and transitions. */
import type { Registry } from 'prom-client';
import { METRIC } from '../metricNames.js';
import { createMonotonicTotals } from '../monotonicTotals.js';
import type { ScrapeReader } from '../scrapeReader.js';
import type { ActorKindStats, PartitionStats } from '../source.js';
import { sourcedCounter, sourcedGauge, type Emit } from './sourced.js';

export interface WorldMetricsOptions {
  /** At most this many partitions get per-partition series (the hottest ones). */
  readonly maxPartitionSeries: number;
  /** States to list from the first scrape on (with 0) before they are seen. */
  readonly lifecycleStates: readonly string[];
}

/** The `limit` hottest partitions (all of them when there are few enough). */
export function hottestPartitions(partitions: readonly PartitionStats[], limit: number): readonly PartitionStats[] {
  if (partitions.length <= limit) return partitions;
  return [...partitions].sort((a, b) => b.heat - a.heat || a.id - b.id).slice(0, limit);
}

/** Registers the actor, partition and lifecycle families on `registry`. */
export function registerWorldMetrics(registry: Registry, reader: ScrapeReader, options: WorldMetricsOptions): void {
  const totals = createMonotonicTotals();
  const perKind = (emit: Emit, pick: (k: ActorKindStats) => number | undefined): void => {
    for (const k of reader.read().actors) {
      const value = pick(k);
      if (value !== undefined) emit({ kind: k.kind }, value);
    }
  };
  sourcedGauge(registry, METRIC.actors, (emit) => perKind(emit, (k) => k.count));
  sourcedCounter(registry, METRIC.eventsEmitted, totals, (emit) => perKind(emit, (k) => k.eventsEmitted));
  sourcedCounter(registry, METRIC.restarts, totals, (emit) => {
    // Per kind when the source counts per kind; otherwise its supervision total as one series
    // without `kind` (never both, so a sum over the family stays right).
    const reading = reader.read();
    if (reading.actors.some((k) => k.restarts !== undefined)) perKind(emit, (k) => k.restarts);
    else if (reading.supervision !== undefined) emit({}, reading.supervision.restarts);
  });
  sourcedCounter(registry, METRIC.escalations, totals, (emit) => perKind(emit, (k) => k.escalations));

  sourcedGauge(registry, METRIC.partitions, (emit) => emit({}, reader.read().partitions.length));
  const hottest = (): readonly PartitionStats[] => hottestPartitions(reader.read().partitions, options.maxPartitionSeries);
  sourcedGauge(registry, METRIC.partitionActors, (emit) => {
    for (const p of hottest()) emit({ partition: String(p.id) }, p.actors);
  });
  sourcedGauge(registry, METRIC.partitionHeat, (emit) => {
    for (const p of hottest()) emit({ partition: String(p.id) }, p.heat);
  });

  const seen = new Set(options.lifecycleStates);
  sourcedGauge(registry, METRIC.lifecycleState, (emit) => {
    const current = reader.read().lifecycle;
    if (current !== undefined) seen.add(current);
    for (const state of seen) emit({ state }, state === current ? 1 : 0);
  });
  sourcedCounter(registry, METRIC.lifecycleTransitions, totals, (emit) => {
    for (const [state, count] of Object.entries(reader.read().lifecycleTransitions ?? {})) emit({ state }, count);
  });
}
