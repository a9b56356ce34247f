/**
 * What the dashboard stream sends, and the builder that makes one frame per stream interval.
 * Rates (busy ratio, dispatches per second) are over the interval since the previous frame.
 * Partitions are sent every few frames only (the heat map changes slowly and is the bulk).
 */
import type { Clock } from './clock.js';
import { hottestPartitions } from './metrics/worldMetrics.js';
import { createRateTracker } from './rateTracker.js';
import { sourceFailure } from './scrapeReader.js';
import { readSource, type SnapshotStats, type SourceReading, type SpatialIndexStats, type SupervisionStats, type TelemetrySource } from './source.js';
import type { TickLog } from './tickLog.js';
import type { TraceEvent, TraceRing } from './traceRing.js';

export interface ThreadFrame {
  readonly worker: number;
  /** Busy share of the interval, 0..1. */
  readonly busy: number;
  /** Dispatches per second in the interval, by path. */
  readonly localPerSec: number;
  readonly stolenPerSec: number;
  readonly local: number;
  readonly stolen: number;
  readonly steals: number;
  readonly failedSteals: number;
  readonly parks: number;
  /** The source's `parked` when given; otherwise "did not run anything during the interval". */
  readonly parked: boolean;
}

export interface QueueFrame {
  readonly channel: string;
  readonly depth: Readonly<Record<string, number>>;
  readonly blocked: number;
  readonly dropped: number;
}

/** `[id, actors, heat, minX, minZ, maxX, maxZ]`: a leaf projected onto the x–z plane. */
export type PartitionCell = readonly [number, number, number, number, number, number, number];

/** Supervision counters as the source reports them (cumulative; `null` fields: not reported). */
export interface SupervisionFrame {
  readonly restarts: number;
  readonly backoffs: number | null;
  readonly escalations: number | null;
  readonly jobsRedone: number | null;
  readonly lastRedoMs: number | null;
}

/** Snapshot writer counters as the source reports them (cumulative; `null` fields: not reported). */
export interface SnapshotFrame {
  readonly written: number;
  readonly skipped: number | null;
  readonly failed: number | null;
  readonly bytesWritten: number | null;
}

/** The spatial index's figures as the source reports them (counters cumulative; `null` fields: not reported). */
export interface SpatialFrame {
  readonly strategy: string;
  /** Main-thread ms of the last boundary's index work. */
  readonly indexMs: number;
  readonly sorts: number | null;
  readonly lastSortMs: number | null;
  readonly splits: number | null;
  readonly merges: number | null;
  readonly crossings: number | null;
  readonly outside: number | null;
}

export interface DashboardFrame {
  readonly seq: number;
  /** Wall-clock time of the frame, ms since the epoch. */
  readonly at: number;
  readonly intervalMs: number;
  readonly lifecycle: string | null;
  /** Number of the last recorded tick. */
  readonly tick: number;
  readonly tickBudgetMs: number;
  /** Durations (ms) of the ticks recorded since the previous frame, oldest first. */
  readonly ticks: readonly number[];
  readonly overruns: number;
  readonly threads: readonly ThreadFrame[];
  /** Queue depth per tier, summed over channels. */
  readonly tiers: Readonly<Record<string, number>>;
  readonly queues: readonly QueueFrame[];
  readonly actors: readonly { readonly kind: string; readonly count: number }[];
  readonly partitionCount: number;
  /** The hottest partitions, or `null` in frames that do not refresh the heat map. */
  readonly partitions: readonly PartitionCell[] | null;
  /** Sampled events recorded since the previous frame (the newest few). */
  readonly trace: readonly TraceEvent[];
  readonly sampledTotal: number;
  /** `null` when the source reports no supervision. */
  readonly supervision: SupervisionFrame | null;
  /** `null` when the source reports no snapshots. */
  readonly snapshots: SnapshotFrame | null;
  /** `null` when the source reports no spatial index. */
  readonly spatial: SpatialFrame | null;
}

/** What the builder reads besides the source: the hook-fed state of the telemetry. */
export interface FrameState {
  readonly tickLog: TickLog;
  readonly trace: TraceRing;
  tick(): number;
  overruns(): number;
  readonly tickBudgetSeconds: number;
}

export interface FrameBuilderOptions {
  readonly maxPartitions: number;
  readonly partitionEvery: number;
  readonly traceLimit: number;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const ms = (seconds: number | undefined): number | null => (seconds === undefined ? null : round3(seconds * 1000));

function supervisionFrame(s: SupervisionStats | undefined): SupervisionFrame | null {
  if (s === undefined) return null;
  return {
    restarts: s.restarts,
    backoffs: s.backoffs ?? null,
    escalations: s.escalations ?? null,
    jobsRedone: s.jobsRedone ?? null,
    lastRedoMs: ms(s.lastRedoSeconds),
  };
}

function snapshotFrame(s: SnapshotStats | undefined): SnapshotFrame | null {
  if (s === undefined) return null;
  return { written: s.written, skipped: s.skipped ?? null, failed: s.failed ?? null, bytesWritten: s.bytesWritten ?? null };
}

function spatialFrame(s: SpatialIndexStats | undefined): SpatialFrame | null {
  if (s === undefined) return null;
  return {
    strategy: s.strategy,
    indexMs: round3(s.indexSeconds * 1000),
    sorts: s.sorts ?? null,
    lastSortMs: ms(s.lastSortSeconds),
    splits: s.splits ?? null,
    merges: s.merges ?? null,
    crossings: s.crossings ?? null,
    outside: s.outside ?? null,
  };
}

/** Creates the builder; each `next()` covers the interval since the previous one. */
export function createFrameBuilder(source: TelemetrySource, state: FrameState, clock: Clock, options: FrameBuilderOptions): () => DashboardFrame {
  const rates = createRateTracker(clock);
  let seq = 0;
  let last = clock.now();
  let ticksSeen = state.tickLog.count;
  let traceSeen = state.trace.count;
  let partitionCount = 0;
  return () => {
    // Partitions are the bulk of a reading: ask for them only in frames that redraw the heat map.
    const withCells = seq % options.partitionEvery === 0;
    let reading: SourceReading;
    try {
      reading = readSource(source, { partitions: withCells });
    } catch (error) {
      throw sourceFailure(error);
    }
    if (withCells) partitionCount = reading.partitions.length;
    const now = clock.now();
    const seconds = Math.max(1e-3, (now - last) / 1000);
    const threads = reading.threads.map((t): ThreadFrame => {
      const local = rates.delta(`l${t.worker}`, t.localPops);
      const stolen = rates.delta(`s${t.worker}`, t.stolenJobs);
      return {
        worker: t.worker,
        busy: round3(rates.ratio(t.worker, t.busyMs)),
        localPerSec: Math.round(local / seconds),
        stolenPerSec: Math.round(stolen / seconds),
        local: t.localPops,
        stolen: t.stolenJobs,
        steals: t.steals,
        failedSteals: t.failedSteals,
        parks: t.parks,
        parked: t.parked ?? (local + stolen === 0),
      };
    });
    const tiers: Record<string, number> = {};
    const queues = reading.queues.map((q): QueueFrame => {
      for (const [tier, depth] of Object.entries(q.depth)) tiers[tier] = (tiers[tier] ?? 0) + depth;
      return { channel: q.channel, depth: q.depth, blocked: q.blockedSenders ?? 0, dropped: (q.dropped?.newest ?? 0) + (q.dropped?.oldest ?? 0) };
    });
    const partitions = withCells
      ? hottestPartitions(reading.partitions, options.maxPartitions).map(
          (p): PartitionCell => [p.id, p.actors, round3(p.heat), round3(p.min[0]), round3(p.min[2]), round3(p.max[0]), round3(p.max[2])],
        )
      : null;
    const frame: DashboardFrame = {
      seq: seq++,
      at: Date.now(),
      intervalMs: Math.round(seconds * 1000),
      lifecycle: reading.lifecycle ?? null,
      tick: state.tick(),
      tickBudgetMs: round3(state.tickBudgetSeconds * 1000),
      ticks: state.tickLog.since(ticksSeen).map(round3),
      overruns: state.overruns(),
      threads,
      tiers,
      queues,
      actors: reading.actors.map((k) => ({ kind: k.kind, count: k.count })),
      partitionCount,
      partitions,
      trace: state.trace.since(traceSeen, options.traceLimit),
      sampledTotal: state.trace.count,
      supervision: supervisionFrame(reading.supervision),
      snapshots: snapshotFrame(reading.snapshots),
      spatial: spatialFrame(reading.spatial),
    };
    last = now;
    ticksSeen = state.tickLog.count;
    traceSeen = state.trace.count;
    return frame;
  };
}
