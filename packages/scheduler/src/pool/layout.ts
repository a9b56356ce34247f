/**
 * The pool's control memory: one `Int32Array` over a SharedArrayBuffer holding the batch words,
 * one slot per worker, and every worker's deque; plus a `Float64Array` of per-worker counters.
 * Both buffers are created by the main thread and handed to each worker at start; they never change
 * for the life of the pool, so telemetry can keep reading them. Words that different threads write
 * sit on different 64-byte lines.
 *
 * Who writes what:
 * - main thread: EPOCH, GEN, TOTAL, THREADS, NOT_RUN_COUNT, the injector ranges, and (between
 *   batches only) resets of slots and deques;
 * - the worker owning a slot: EXECUTED, IDLE_GEN, IDLE_VERSION, CURRENT, its deque's bottom;
 * - any worker: DONE_GEN (compareExchange), CHECKOUTS (add), INJ_NEXT and deque `top` (atomic RMW);
 * - CONTROL_PENDING: set by main, cleared by the worker with exchange.
 */
import { dequeWords } from '../deque/layout.js';

/** Bumped by main to wake workers (new batch or control message); workers park on it. */
export const EPOCH = 0;
/** Generation of the batch most recently started. */
export const GEN = 16;
/** Generation of the batch most recently completed; main waits on it. */
export const DONE_GEN = 32;
/** Jobs in the current batch. */
export const TOTAL = 48;
/** Jobs of the current batch that main declared not run (a worker died holding them). */
export const NOT_RUN_COUNT = 49;
/** Number of worker slots taking part in the current batch (slots 0 … THREADS-1). */
export const THREADS = 50;
/** Bumped (and notified) by each worker leaving a batch; main waits on it before the next batch. */
export const CHECKOUTS = 64;

/** First word of worker slot 0. */
export const SLOT_BASE = 128;
/** Words per worker slot. */
export const SLOT_WORDS = 64;
/** Jobs this worker settled in the current batch (flushed periodically and before going idle). */
export const EXECUTED = 0;
/** Batch generation in which the worker is idle (scanned everything, found nothing), or 0. */
export const IDLE_GEN = 16;
/** Bumped on every idle↔busy transition, so main can take a consistent double-collect snapshot. */
export const IDLE_VERSION = 17;
/** 1 when main has posted control messages for this worker. */
export const CONTROL_PENDING = 18;
/** Job id the worker is running, or -1. Read by main only after the worker died. */
export const CURRENT = 19;
/** Last batch generation the worker left (checked out of); no deque access after it until the next. */
export const CHECKOUT_GEN = 20;
/** Next position of the worker's injector range in the batch's `order` array (claimed by atomic add). */
export const INJ_NEXT = 32;
/** End (exclusive) of the worker's injector range. */
export const INJ_END = 33;

/** Float64 counters per worker. */
export const STAT_WORDS = 16;
export const ST_LOCAL_POPS = 0;
export const ST_STEALS = 1;
export const ST_STOLEN_JOBS = 2;
export const ST_FAILED_STEALS = 3;
export const ST_PARKS = 4;
export const ST_BUSY_NS = 5;
export const ST_JOBS_RUN = 6;
export const ST_JOBS_FAILED = 7;

/** Word index of a worker slot's field. */
export function slotWord(slot: number, field: number): number {
  return SLOT_BASE + slot * SLOT_WORDS + field;
}

/** Word index of a worker's deque header. */
export function dequeBase(slot: number, maxThreads: number, capacity: number): number {
  return SLOT_BASE + maxThreads * SLOT_WORDS + slot * dequeWords(capacity);
}

/** The shared memory of a pool. */
export interface PoolMemory {
  readonly ctl: Int32Array;
  readonly stats: Float64Array;
  readonly maxThreads: number;
  readonly capacity: number;
}

/** Allocates the pool's memory for up to `maxThreads` workers with deques of `capacity`. */
export function allocatePoolMemory(maxThreads: number, capacity: number): PoolMemory {
  const words = dequeBase(maxThreads, maxThreads, capacity);
  return {
    ctl: new Int32Array(new SharedArrayBuffer(words * 4)),
    stats: new Float64Array(new SharedArrayBuffer(maxThreads * STAT_WORDS * 8)),
    maxThreads,
    capacity,
  };
}
