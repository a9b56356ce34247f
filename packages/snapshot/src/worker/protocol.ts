/** Messages between the main-thread facade and the store's worker thread. */
import { SnapshotError, type SnapshotErrorCode, type SnapshotErrorFields } from '../errors.js';

export interface WorkerInit {
  readonly dir: string;
  readonly create: boolean;
  readonly segmentBytes: number | undefined;
  /** The owner's busy word (see file/courtesy.ts). */
  readonly yieldTo?: Int32Array;
  /** Only when running from TypeScript sources: the `.ts` entry the dev bootstrap imports. */
  readonly entry?: string;
}

export type Request =
  | { readonly id: number; readonly op: 'write'; readonly tick: number; readonly meta: Uint8Array; readonly pages: ReadonlyArray<Uint8Array | string> }
  | { readonly id: number; readonly op: 'read' | 'readMeta'; readonly tick: number }
  | { readonly id: number; readonly op: 'compact'; readonly drop?: readonly number[]; readonly keepLast?: number }
  | { readonly id: number; readonly op: 'list' | 'latest' | 'verify' | 'stats' | 'close' };

export type SerializedError =
  | { readonly kind: 'snapshot'; readonly code: SnapshotErrorCode; readonly message: string; readonly fields: SnapshotErrorFields }
  | { readonly kind: 'other'; readonly name: string; readonly message: string; readonly stack?: string };

/** Id 0 answers the open. */
export type Reply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof SnapshotError) return { kind: 'snapshot', code: error.code, message: error.message, fields: error.fields() };
  if (error instanceof Error) return { kind: 'other', name: error.name, message: error.message, ...(error.stack !== undefined ? { stack: error.stack } : {}) };
  return { kind: 'other', name: 'Error', message: String(error) };
}

export function deserializeError(error: SerializedError): Error {
  if (error.kind === 'snapshot') return new SnapshotError(error.code, error.message, error.fields);
  const Ctor = error.name === 'RangeError' ? RangeError : error.name === 'TypeError' ? TypeError : Error;
  const out = new Ctor(`${error.message} (in the snapshot store's worker thread)`);
  if (error.stack !== undefined) out.stack = `${out.name}: ${out.message}\n--- worker stack ---\n${error.stack}`;
  return out;
}
