/**
 * What the engine's thread and the exporter's worker thread say to each other. The worker owns
 * every socket; the engine's thread only renders `/metrics` (when the worker's cache asks for it)
 * and builds dashboard frames (when the stream hub asks for one). Counters the worker keeps are in
 * one `SharedArrayBuffer` so that the engine's thread reads them without a message.
 */
import type { Endpoint } from './endpoint.js';

/** Indices into the shared counter block (`BigUint64Array`; only the worker writes, with Atomics). */
export const COUNTER = {
  /** Requests answered 503 because `maxConcurrentRequests` were being served. */
  rejectedBusy: 0,
  /** Requests answered 401 for lacking the token. */
  rejectedUnauthorized: 1,
  /** Stream requests answered 503 because `maxStreamClients` streams were open. */
  rejectedStreams: 2,
  /** Connections closed at once because `maxConnections` sockets were open (Node's `drop`). */
  droppedConnections: 3,
  /** Dashboard streams open now (a gauge: stored, not added). */
  streamClients: 4,
  /** Dashboard frames asked of the engine's thread. */
  framesBuilt: 5,
  framesSent: 6,
  framesSkipped: 7,
  streamClientsDropped: 8,
  /** Renders of `/metrics` asked of the engine's thread. */
  renders: 9,
} as const;
export const COUNTER_SLOTS = 10;

/** Everything the worker needs, as `workerData` (structured-cloned; the counters are shared). */
export interface ServerWorkerInit {
  readonly endpoint: Endpoint;
  readonly dashboard: boolean;
  readonly contentType: string;
  readonly streamIntervalMs: number;
  readonly maxStreamClients: number;
  readonly maxConcurrentRequests: number;
  readonly maxConnections: number;
  readonly publishIntervalMs: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Empty: no authentication. */
  readonly authToken: string;
  readonly counters: SharedArrayBuffer;
  /** From sources only: the `.ts` entry the dev bootstrap imports after registering tsx. */
  readonly entry?: string;
}

/** Worker → engine's thread. */
export type WorkerMessage =
  | { readonly type: 'listening'; readonly host: string; readonly port: number }
  | { readonly type: 'bindFailed'; readonly errno: string | undefined; readonly message: string }
  | { readonly type: 'render'; readonly id: number }
  | { readonly type: 'frame'; readonly id: number }
  | { readonly type: 'error'; readonly message: string; readonly cause: string }
  | { readonly type: 'closed' };

/** Engine's thread → worker. A failed render carries the code the 500 names. */
export type MainMessage =
  | { readonly type: 'rendered'; readonly id: number; readonly ok: true; readonly text: string }
  | { readonly type: 'rendered'; readonly id: number; readonly ok: false; readonly code: string }
  | { readonly type: 'framed'; readonly id: number; readonly data: string | undefined }
  | { readonly type: 'close' };
