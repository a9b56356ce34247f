/**
 * The default telemetry: a prom-client registry with every family of `metricNames.ts`, fed by
 * the tick-loop hooks (ticks, snapshots, traces) and by a `TelemetrySource` read at scrape time.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { systemClock, type Clock } from './clock.js';
import { TelemetryError } from './errors.js';
import { createFrameBuilder, type DashboardFrame } from './frame.js';
import { registerQueueMetrics } from './metrics/queueMetrics.js';
import { registerRecoveryMetrics } from './metrics/recoveryMetrics.js';
import { registerSpatialMetrics } from './metrics/spatialMetrics.js';
import { registerThreadMetrics } from './metrics/threadMetrics.js';
import { registerWorldMetrics } from './metrics/worldMetrics.js';
import { METRIC, SNAPSHOT_BUCKETS, TICK_BUCKETS, type MetricSpec } from './metricNames.js';
import { createScrapeReader } from './scrapeReader.js';
import type { TelemetrySource } from './source.js';
import type { ExporterCounts, Telemetry, TelemetryFeed } from './telemetry.js';
import { createTickLog } from './tickLog.js';
import { createTraceRing } from './traceRing.js';

export interface TelemetryOptions {
  /** Where threads, queues, partitions, actors, the lifecycle, supervision, snapshots, retention and the spatial index come from. */
  readonly source?: TelemetrySource;
  /** Registry to register into (default: a new one; pass yours to merge with other metrics). */
  readonly registry?: Registry;
  /** Fraction of actors whose events are traced, 0..1 (`[telemetry] sample_rate`). Default 0.01. */
  readonly sampleRate?: number;
  /** Time one tick may take (1 / tick rate); longer ticks count as overruns. Default 1/60 s. */
  readonly tickBudgetSeconds?: number;
  /** Events kept in the trace ring. Default 1024. */
  readonly traceCapacity?: number;
  /** Per-partition series are exported for at most this many (hottest) partitions. Default 256. */
  readonly maxPartitionSeries?: number;
  /** Partitions sent to the dashboard per heat-map refresh (hottest first). Default 4096. */
  readonly maxDashboardPartitions?: number;
  /** Lifecycle states listed (as 0) before they are first seen. */
  readonly lifecycleStates?: readonly string[];
  /** Also export prom-client's process metrics (`concurrengine_process_*`, `concurrengine_nodejs_*`). Default false. */
  readonly processMetrics?: boolean;
  readonly clock?: Clock;
}

/** The default telemetry: the tick-loop hooks, the registry and the dashboard feed. */
export interface TelemetryRecorder extends Telemetry, TelemetryFeed {
  readonly registry: Registry;
}

function checkFraction(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new TelemetryError('TELEMETRY_INVALID_OPTION', `${name} must be a number from 0 to 1, got ${String(value)}`);
  return value;
}

function checkPositive(name: string, value: number, integer: boolean): number {
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new TelemetryError('TELEMETRY_INVALID_OPTION', `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  }
  return value;
}

const histogram = (registry: Registry, spec: MetricSpec, buckets: readonly number[]): Histogram => new Histogram({ name: spec.name, help: spec.help, buckets: [...buckets], registers: [registry] });
const counter = (registry: Registry, spec: MetricSpec): Counter => new Counter({ name: spec.name, help: spec.help, registers: [registry] });

/** Creates the registry and hooks. Throws `TELEMETRY_INVALID_OPTION` on a bad option. */
export function createTelemetry(options: TelemetryOptions = {}): TelemetryRecorder {
  const source = options.source ?? {};
  const clock = options.clock ?? systemClock;
  const registry = options.registry ?? new Registry();
  const sampleRate = checkFraction('sampleRate', options.sampleRate ?? 0.01);
  const budget = checkPositive('tickBudgetSeconds', options.tickBudgetSeconds ?? 1 / 60, false);
  const trace = createTraceRing(sampleRate, checkPositive('traceCapacity', options.traceCapacity ?? 1024, true));
  const maxPartitionSeries = checkPositive('maxPartitionSeries', options.maxPartitionSeries ?? 256, true);
  const maxPartitions = checkPositive('maxDashboardPartitions', options.maxDashboardPartitions ?? 4096, true);

  const tickDuration = histogram(registry, METRIC.tickDuration, TICK_BUCKETS);
  const overrunCounter = counter(registry, METRIC.tickOverruns);
  new Gauge({ name: METRIC.tickBudget.name, help: METRIC.tickBudget.help, registers: [registry] }).set(budget);
  const tickGauge = new Gauge({ name: METRIC.currentTick.name, help: METRIC.currentTick.help, registers: [registry] });
  const reader = createScrapeReader(source);
  registerThreadMetrics(registry, reader, clock);
  registerQueueMetrics(registry, reader);
  registerWorldMetrics(registry, reader, { maxPartitionSeries, lifecycleStates: options.lifecycleStates ?? [] });
  registerSpatialMetrics(registry, reader);
  const snapshotBytes = counter(registry, METRIC.snapshotBytes);
  const snapshotDuration = histogram(registry, METRIC.snapshotDuration, SNAPSHOT_BUCKETS);
  registerRecoveryMetrics(registry, reader);
  let exporter: (() => ExporterCounts) | undefined;
  new Counter({
    name: METRIC.exporterRejections.name,
    help: METRIC.exporterRejections.help,
    labelNames: ['reason'],
    registers: [registry],
    collect(this: Counter<'reason'>) {
      // The server's counts only grow, and a recorder is served by one server at a time.
      const rejected = exporter?.().rejected ?? { busy: 0, unauthorized: 0, streams: 0, connections: 0 };
      this.reset();
      for (const [reason, count] of Object.entries(rejected)) this.inc({ reason }, count);
    },
  });
  new Counter({
    name: METRIC.exporterRenders.name,
    help: METRIC.exporterRenders.help,
    registers: [registry],
    collect(this: Counter) {
      this.reset();
      this.inc(exporter?.().renders ?? 0);
    },
  });
  new Counter({
    name: METRIC.traceSampled.name,
    help: METRIC.traceSampled.help,
    registers: [registry],
    collect(this: Counter) {
      this.reset();
      this.inc(trace.count);
    },
  });
  if (options.processMetrics === true) collectDefaultMetrics({ register: registry, prefix: 'concurrengine_' });

  const tickLog = createTickLog();
  let lastTick = 0;
  let overruns = 0;
  let closed = false;
  const frame: () => DashboardFrame = createFrameBuilder(
    source,
    { tickLog, trace, tick: () => lastTick, overruns: () => overruns, tickBudgetSeconds: budget },
    clock,
    { maxPartitions, partitionEvery: 3, traceLimit: 20 },
  );

  return {
    registry,
    contentType: registry.contentType,
    recordTick(durationSeconds, tick) {
      if (closed) return;
      tickDuration.observe(durationSeconds);
      tickLog.push(durationSeconds);
      tickGauge.set(tick);
      lastTick = tick;
      if (durationSeconds > budget) {
        overruns++;
        overrunCounter.inc();
      }
    },
    recordSnapshot(bytes, durationSeconds) {
      if (closed) return;
      snapshotBytes.inc(bytes);
      snapshotDuration.observe(durationSeconds);
    },
    isSampled: (actor) => trace.isSampled(actor),
    traceEvent(tick, actor, type) {
      if (!closed) trace.record(tick, actor, type);
    },
    traceEvents(tick, type, actors, count) {
      if (!closed) trace.recordMany(tick, type, actors, count);
    },
    metrics: () => registry.metrics(),
    frame,
    observeExporter(read) {
      exporter = read;
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}
