/**
 * Lookup by tick in an ascending immutable `List` of retained entries, from index `from` on (the
 * timeline's window keeps a prefix of already-dropped entries; see `timeline.ts`). Ticks are
 * usually sealed one after another, so `tick - first` is tried as the offset before falling back
 * to a binary search.
 */
import type { List } from 'immutable';

/** A sealed snapshot with its tick, frozen. */
export interface RetainedSnapshot<S> {
  readonly tick: number;
  readonly snapshot: S;
}

/**
 * Index of the last entry at or after `from` with `entry.tick <= tick`, or -1 when there is none
 * (every entry from `from` on is newer, or there are none).
 */
export function indexAtOrBefore<S>(list: List<RetainedSnapshot<S>>, tick: number, from: number): number {
  const size = list.size;
  if (from >= size || Number.isNaN(tick)) return -1;
  const first = list.get(from)!.tick;
  if (tick < first) return -1;
  const guess = from + (tick - first);
  if (guess < size && Number.isInteger(guess) && list.get(guess)!.tick === tick) return guess; // contiguous ticks: O(1) path
  let lo = from;
  let hi = size - 1;
  // Invariant: list[lo].tick <= tick; the answer lies in [lo, hi].
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (list.get(mid)!.tick <= tick) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
