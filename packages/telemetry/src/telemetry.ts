/**
 * The narrow interface the engine's tick loop talks to. Everything else the telemetry shows is
 * pulled from a `TelemetrySource`. Implement `Telemetry` to plug in another exporter; pass
 * `noopTelemetry` to run with telemetry off.
 */
import type { DashboardFrame } from './frame.js';

export interface Telemetry {
  /** Once per tick, after the boundary: its wall time and number. Allocation-free. */
  recordTick(durationSeconds: number, tick: number): void;
  /** Once per snapshot segment written: its size and how long the write took. */
  recordSnapshot(bytes: number, durationSeconds: number): void;
  /** Whether `actor`'s events go to the trace ring (decide once per actor, e.g. at spawn). */
  isSampled(actor: number): boolean;
  /** Adds an event of a sampled actor to the trace ring. */
  traceEvent(tick: number, actor: number, type: string): void;
  /**
   * Adds one event of `type` for each of the first `count` sampled actors in `actors`, in one call
   * (the cheap way at scale: cost bounded by the ring's capacity).
   */
  traceEvents(tick: number, type: string, actors: ArrayLike<number>, count?: number): void;
  /** Stops whatever the telemetry runs (its server); later records are ignored. */
  close(): Promise<void>;
}

/** What an HTTP exporter serves: the Prometheus text and the dashboard frames. */
export interface TelemetryFeed {
  /** The Prometheus exposition text; rejects with `TELEMETRY_SOURCE_FAILED` when a source throws. */
  metrics(): Promise<string>;
  /** Content type of `metrics()`. */
  readonly contentType: string;
  /** The next dashboard frame (rates since the previous call); throws `TELEMETRY_SOURCE_FAILED`. */
  frame(): DashboardFrame;
  /** Called once by the server that serves this feed, so the feed can export its counts. */
  observeExporter?(read: () => ExporterCounts): void;
}

/** What the HTTP exporter refused and rendered so far (monotonic for one server). */
export interface ExporterCounts {
  readonly rejected: {
    /** 503: more than `maxConcurrentRequests` requests at once. */
    readonly busy: number;
    /** 401: no or wrong token. */
    readonly unauthorized: number;
    /** 503: more than `maxStreamClients` dashboard streams. */
    readonly streams: number;
    /** Sockets closed at once: more than `maxConnections` open. */
    readonly connections: number;
  };
  /** Renders of `/metrics` asked of the engine's thread. */
  readonly renders: number;
}

/** Telemetry that does nothing: the engine with telemetry off. */
export const noopTelemetry: Telemetry = Object.freeze({
  recordTick: () => undefined,
  recordSnapshot: () => undefined,
  isSampled: () => false,
  traceEvent: () => undefined,
  traceEvents: () => undefined,
  close: () => Promise.resolve(),
});
