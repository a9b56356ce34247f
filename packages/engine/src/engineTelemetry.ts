/**
 * Wires `@concurrengine/telemetry` to a running engine: the engine is the telemetry source
 * (threads from the scheduler's shared counters, the mailbox's depth per tier, actors per kind,
 * the lifecycle state and its transitions, the neighbour grid's cells as partitions, supervision,
 * the snapshot writer, the rewind window and the spatial index's counters), and each tick is
 * recorded.
 * A telemetry failure (a taken port, say) is reported and the engine runs on without it, while
 * the infrastructure supervisor (infrastructure.ts) retries with backoff.
 */
import { startTelemetry, type PartitionStats, type QueueStats, type RunningTelemetry, type TelemetrySource, type ThreadStats } from '@concurrengine/telemetry';

import { PRIORITIES } from './protocol.js';
import { ENGINE_STATES } from './lifecycleGate.js';
import type { RetentionStats } from './rollback.js';
import type { SnapshotCounters } from './snapshotWriter.js';
import type { SpatialStats } from './spatial.js';
import type { SupervisionCounters } from './supervision.js';

export interface TelemetryOptions {
  /** Where `/metrics` and the dashboard listen; default 127.0.0.1:9090 (port 0: any free port). */
  readonly endpoint?: { readonly host?: string; readonly port?: number };
  /** Fraction of actors traced for the dashboard, 0..1 (`[telemetry] sample_rate`). */
  readonly sampleRate?: number;
  /** `/metrics` is rendered on the engine's thread at most once per this, for every scraper (`[telemetry] publish_interval`); default 1000 ms, 0 = only overlapping scrapes share a render. */
  readonly publishIntervalMs?: number;
  /** Requests the exporter serves at once; 503 beyond (`[telemetry] max_concurrent_requests`); default 32. */
  readonly maxConcurrentRequests?: number;
  /** Token required on `/metrics`, the dashboard and its stream (`[telemetry] auth_token`); default none. */
  readonly authToken?: string;
  /** Called when telemetry cannot start or fails later; default: a process warning. */
  readonly onError?: (error: Error) => void;
}

/** What the engine exposes to its telemetry (read at scrape time, never per event). */
export interface EngineTelemetryView {
  threads(): readonly ThreadStats[];
  mailboxDepth(): readonly number[];
  /** The inbox channel's stats (depth per tier, blocked senders, drops). */
  inbox(): Omit<QueueStats, 'channel'>;
  actors(): readonly { readonly kind: string; readonly count: number }[];
  eventsEmitted(): number;
  lifecycle(): string;
  partitions(): readonly PartitionStats[];
  /** `stats().supervision`; undefined when nothing is supervised. */
  supervision(): (SupervisionCounters & { readonly jobsRedone: number; readonly lastRedoMs: number }) | undefined;
  /** `stats().snapshots`; undefined without snapshots. */
  snapshots(): SnapshotCounters | undefined;
  /** `retention()`; undefined without retention. */
  retention(): RetentionStats | undefined;
  /** Lifecycle transitions so far, by the state entered (see `countTransitions`). */
  transitions(): Readonly<Record<string, number>>;
  /** `stats().spatial`; undefined without a spatial index. */
  spatial(): SpatialStats | undefined;
}

/**
 * Counts transitions by the state entered, from the subscription on: one increment per
 * transition (a handful per run), read at scrape time.
 */
export function countTransitions(subscribe: (listener: (state: string) => void) => unknown): () => Readonly<Record<string, number>> {
  const counts: Record<string, number> = {};
  subscribe((state) => void (counts[state] = (counts[state] ?? 0) + 1));
  return () => counts;
}

/** Reports a telemetry failure (the user's `onError`, or a process warning). */
export function telemetryErrorSink(options: TelemetryOptions): (error: Error) => void {
  return options.onError ?? ((error: Error) => process.emitWarning(error.message, { code: 'CONCURRENGINE_TELEMETRY' }));
}

/** Starts the exporter and dashboard; rejects with why not (a `TelemetryError`, e.g. a taken port). */
export async function startEngineTelemetry(view: EngineTelemetryView, options: TelemetryOptions, tickSeconds: number): Promise<RunningTelemetry> {
  const onError = telemetryErrorSink(options);
  const source: TelemetrySource = {
    threads: () => view.threads(),
    queues: (): QueueStats[] => {
      const depth = view.mailboxDepth();
      return [{ channel: 'mailbox', depth: Object.fromEntries(PRIORITIES.map((tier, i) => [tier, depth[i] ?? 0])) }, { channel: 'inbox', ...view.inbox() }];
    },
    actors: () => {
      const kinds = view.actors();
      // Emits are counted per thread, not per kind: the total rides on the first kind so the
      // exported sum is right.
      const emitted = view.eventsEmitted();
      return kinds.map((k, i) => ({ kind: k.kind, count: k.count, ...(i === 0 ? { eventsEmitted: emitted } : {}) }));
    },
    lifecycle: () => view.lifecycle(),
    lifecycleTransitions: () => view.transitions(),
    partitions: () => view.partitions(),
    supervision: () => {
      const s = view.supervision();
      // A restart with a backoff is what supervision counts as `suspended`.
      return s && { restarts: s.restarts, backoffs: s.suspended, escalations: s.escalations, jobsRedone: s.jobsRedone, lastRedoSeconds: s.lastRedoMs / 1000 };
    },
    snapshots: () => view.snapshots(),
    retained: () => {
      const r = view.retention();
      return r && { ticks: r.ticks.length, bytes: r.retainedBytes + r.pendingBytes };
    },
    spatial: () => {
      const s = view.spatial();
      return (
        s && {
          strategy: s.strategy,
          indexSeconds: s.updateMs / 1000,
          passSeconds: s.passMs / 1000,
          sorts: s.sorts,
          refits: s.refits,
          lastSortSeconds: s.sortMs / 1000,
          splits: s.splits,
          merges: s.merges,
          crossings: s.crossings,
          outside: s.outside,
          partitionJobs: s.partitionJobs,
        }
      );
    },
  };
  return startTelemetry({
    source,
    tickBudgetSeconds: tickSeconds,
    lifecycleStates: ENGINE_STATES,
    onError,
    ...(options.sampleRate !== undefined ? { sampleRate: options.sampleRate } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.publishIntervalMs !== undefined ? { publishIntervalMs: options.publishIntervalMs } : {}),
    ...(options.maxConcurrentRequests !== undefined ? { maxConcurrentRequests: options.maxConcurrentRequests } : {}),
    // An empty token is the config's "none".
    ...(options.authToken ? { authToken: options.authToken } : {}),
  });
}
