/**
 * Where one Chase–Lev deque lives inside an `Int32Array` over a `SharedArrayBuffer`.
 *
 * ```
 * word base + TOP      top    (next slot a thief takes; written only by compareExchange)
 * word base + BOTTOM   bottom (next slot the owner fills; written only by the owner)
 * word base + SLOTS …  capacity slots of job ids, indexed by (index & (capacity - 1))
 * ```
 *
 * `top` and `bottom` sit 64 bytes apart so that thieves hammering `top` do not bounce the cache
 * line the owner writes `bottom` on. Indices grow without wrapping inside one batch and are reset
 * to 0 between batches (when no thread touches the deque), so 2^31 jobs per batch is the limit.
 */
import { SchedulerError } from '../errors.js';

/** Word offset of `top` from the deque's base. */
export const TOP = 0;
/** Word offset of `bottom` from the deque's base (a cache line after `top`). */
export const BOTTOM = 16;
/** Word offset of the first slot from the deque's base. */
export const SLOTS = 32;

/** Returned by `pop` and `steal` when there was nothing to take. */
export const EMPTY = -1;
/** Returned by `steal` when another thread won the race for the same slot: try again. */
export const RETRY = -2;

/** The largest capacity accepted (slots are Int32 words; 2^24 keeps a deque under 64 MiB). */
export const MAX_CAPACITY = 1 << 24;

/** Number of Int32 words one deque of `capacity` slots occupies. */
export function dequeWords(capacity: number): number {
  return SLOTS + capacity;
}

/** Throws unless `capacity` is a power of two in [2, MAX_CAPACITY]. */
export function assertCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 2 || capacity > MAX_CAPACITY || (capacity & (capacity - 1)) !== 0) {
    throw new SchedulerError(
      'SCHEDULER_INVALID_ARGUMENT',
      `deque capacity must be a power of two in [2, ${MAX_CAPACITY}]; got ${String(capacity)}`,
    );
  }
}
