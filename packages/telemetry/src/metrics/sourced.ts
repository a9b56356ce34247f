/**
 * prom-client metrics whose values are pulled from a source in `collect()` at scrape time.
 * Each collect clears the family first, so series of workers, channels or kinds that vanished
 * from the source vanish from `/metrics` too.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MetricSpec } from '../metricNames.js';
import type { MonotonicTotals } from '../monotonicTotals.js';

export type Labels = Readonly<Record<string, string>>;
/** Sets one series of the family being collected. */
export type Emit = (labels: Labels, value: number) => void;
/** Fills a family from the current scrape's reading. */
export type Fill = (emit: Emit) => void;

const keyOf = (name: string, labels: Labels): string => {
  let key = name;
  for (const value of Object.values(labels)) key += `\u0000${value}`;
  return key;
};

/** A gauge set from `fill` on every scrape. */
export function sourcedGauge(registry: Registry, spec: MetricSpec, fill: Fill): Gauge<string> {
  return new Gauge<string>({
    name: spec.name,
    help: spec.help,
    labelNames: [...spec.labels],
    registers: [registry],
    collect(this: Gauge<string>) {
      this.reset();
      fill((labels, value) => this.set(labels, value));
    },
  });
}

/** A counter set from cumulative source values on every scrape, kept monotonic by `totals`. */
export function sourcedCounter(registry: Registry, spec: MetricSpec, totals: MonotonicTotals, fill: Fill): Counter<string> {
  return new Counter<string>({
    name: spec.name,
    help: spec.help,
    labelNames: [...spec.labels],
    registers: [registry],
    collect(this: Counter<string>) {
      this.reset();
      fill((labels, raw) => this.inc(labels, totals.value(keyOf(spec.name, labels), raw)));
    },
  });
}
