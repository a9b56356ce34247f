/** The exporter's options: defaults, and the checks that turn a bad one into `TELEMETRY_INVALID_OPTION`. */
import { TelemetryError } from '../errors.js';
import type { TelemetryFeed } from '../telemetry.js';
import { resolveEndpoint, type Endpoint } from './endpoint.js';
import type { ServerWorkerInit } from './protocol.js';

export interface TelemetryServerOptions {
  /** What to serve: usually the recorder from `createTelemetry`. */
  readonly feed: TelemetryFeed;
  /** Default `127.0.0.1:9090`; `host: '0.0.0.0'` only when you mean every interface. */
  readonly endpoint?: Partial<Endpoint>;
  /** Serve the dashboard and its stream (`[telemetry] dashboard`). Default true. */
  readonly dashboard?: boolean;
  /** Dashboard stream interval. Default 100 ms (10 Hz). */
  readonly streamIntervalMs?: number;
  /** Concurrent dashboard streams; 503 beyond. Default 8. */
  readonly maxStreamClients?: number;
  /**
   * A render of `/metrics` is reused by every scrape for this long (`[telemetry] publish_interval`),
   * so the engine's thread renders at most once per interval. 0: only overlapping scrapes share
   * one render. Default 1000 ms.
   */
  readonly publishIntervalMs?: number;
  /** Requests served at once, dashboard streams excluded; 503 with Retry-After beyond (`[telemetry] max_concurrent_requests`). Default 32. */
  readonly maxConcurrentRequests?: number;
  /** Open sockets; a connection beyond is closed at once. Default 256. */
  readonly maxConnections?: number;
  /** A client must send its whole request head within this; then 408 and the socket closes. Default 5000 ms. */
  readonly headersTimeoutMs?: number;
  /** A whole request must arrive within this (≥ headersTimeoutMs). Default 10000 ms. */
  readonly requestTimeoutMs?: number;
  /**
   * Required on every route when set (`[telemetry] auth_token`): `Authorization: Bearer <token>`,
   * or basic auth with any user name and the token as password. Default: none.
   */
  readonly authToken?: string;
  /** Failures after start (a source that throws, a socket error). Default `process.emitWarning`. */
  readonly onError?: (error: TelemetryError) => void;
}

function check(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new TelemetryError('TELEMETRY_INVALID_OPTION', `${name} must be an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
}

/** Everything the worker needs but the counters. Throws `TELEMETRY_INVALID_OPTION`. */
export function resolveServerOptions(options: TelemetryServerOptions): Omit<ServerWorkerInit, 'counters' | 'entry'> {
  const headersTimeoutMs = check('headersTimeoutMs', options.headersTimeoutMs ?? 5000, 1);
  const requestTimeoutMs = check('requestTimeoutMs', options.requestTimeoutMs ?? Math.max(10_000, headersTimeoutMs), 1);
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new TelemetryError('TELEMETRY_INVALID_OPTION', `requestTimeoutMs (${requestTimeoutMs}) must not be shorter than headersTimeoutMs (${headersTimeoutMs})`);
  }
  const authToken = options.authToken ?? '';
  if (typeof authToken !== 'string') throw new TelemetryError('TELEMETRY_INVALID_OPTION', `authToken must be a string, got ${typeof authToken}`);
  return {
    endpoint: resolveEndpoint(options.endpoint),
    dashboard: options.dashboard !== false,
    contentType: options.feed.contentType,
    streamIntervalMs: check('streamIntervalMs', options.streamIntervalMs ?? 100, 1),
    maxStreamClients: check('maxStreamClients', options.maxStreamClients ?? 8, 1),
    maxConcurrentRequests: check('maxConcurrentRequests', options.maxConcurrentRequests ?? 32, 1),
    maxConnections: check('maxConnections', options.maxConnections ?? 256, 1),
    publishIntervalMs: check('publishIntervalMs', options.publishIntervalMs ?? 1000, 0),
    headersTimeoutMs,
    requestTimeoutMs,
    authToken,
  };
}
