/**
 * What the main thread hands a worker at start (`workerData`) and the replies a worker posts on
 * `parentPort`. Shared by both sides so the shapes cannot drift.
 */
import type { MessagePort } from 'node:worker_threads';

import type { ThrownRecord } from '../execute.js';

/** A job module as it crosses the thread boundary. */
export interface ModuleSpec {
  readonly url: string;
  readonly data: unknown;
}

/** `workerData` of a pool worker. */
export interface PoolWorkerData {
  readonly ctl: SharedArrayBuffer;
  readonly stats: SharedArrayBuffer;
  readonly maxThreads: number;
  readonly capacity: number;
  readonly slot: number;
  readonly joinGen: number;
  readonly spinMicros: number;
  readonly modules: readonly ModuleSpec[];
  /** The worker's end of the synchronous control channel (read with receiveMessageOnPort). */
  readonly port: MessagePort;
  /** Set only when started through the development bootstrap: the `.ts` entry it imports. */
  readonly entry?: string;
}

/** Replies on `parentPort` (asynchronous control plane). */
export type WorkerReply =
  | { readonly type: 'ready'; readonly error?: ThrownRecord }
  | { readonly type: 'loaded'; readonly id: number; readonly error?: ThrownRecord };
