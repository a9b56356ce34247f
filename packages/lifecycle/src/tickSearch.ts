/**
 * Lookup by tick in an ascending immutable `List` of retained entries. Ticks are usually sealed
 * one after another, so `tick - first` is tried as the index before falling back to a binary search.
 */
import type { List } from 'immutable';

/** A sealed snapshot with its tick, frozen. */
export interface RetainedSnapshot<S> {
  readonly tick: number;
  readonly snapshot: S;
}

/** Index of the last entry with `entry.tick <= tick`, or -1 when every entry is newer (or the list is empty). */
export function indexAtOrBefore<S>(list: List<RetainedSnapshot<S>>, tick: number): number {
  const size = list.size;
  if (size === 0 || Number.isNaN(tick)) return -1;
  const first = list.first()!.tick;
  if (tick < first) return -1;
  const guess = tick - first;
  if (guess < size && Number.isInteger(guess) && list.get(guess)!.tick === tick) return guess; // contiguous ticks: O(1) path
  let lo = 0;
  let hi = size - 1;
  // Invariant: list[lo].tick <= tick; the answer lies in [lo, hi].
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (list.get(mid)!.tick <= tick) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
