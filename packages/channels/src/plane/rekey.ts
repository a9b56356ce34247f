/**
 * Re-routing after recipients moved between partitions of one group (their owner re-ordered
 * them between ticks): within each segment, the entries of the moved partitions' buckets are
 * sorted again by the recipients' new partitions. Only those entries are touched: O(records to the
 * moved partitions + moved partitions × segments). Records themselves stay where they are.
 */
import type { PlaneViews } from './buffers.js';
import { DIR_HEADER, DIR_SEGMENTS, SEG_LANE, SEG_ROUTE_AT, SEGMENT_WORDS, TIERS, type PartitionOf } from './layout.js';
import { RouteScratch } from './route.js';

/**
 * Re-keys partitions [first, end) of group `group` in parity `parity`. `indexOf` gives a record's
 * partition *within the group* now (the groups before it may have grown since the segment was
 * routed: global numbers would be off by that much), or -1 when its recipient has none any more —
 * such a record stays in a bucket of the range, for its reader to find gone and count. False when
 * a recipient now belongs to a partition outside the range (or one a segment was not routed with):
 * the caller must then route the parity again from its records (nothing is lost either way —
 * records are never rewritten here, and the entries stay a permutation of what they were).
 */
export function rekeyPartitions(views: PlaneViews, scratch: RouteScratch, parity: number, group: number, first: number, end: number, indexOf: PartitionOf): boolean {
  const directory = views.directories[parity]!;
  const segments = directory[DIR_SEGMENTS]!;
  for (let s = 0; s < segments; s++) {
    const entry = DIR_HEADER + s * SEGMENT_WORDS;
    const lane = directory[entry + SEG_LANE]! - 1;
    if (lane < 0) continue;
    const routes = views.routes(parity, lane);
    const at = directory[entry + SEG_ROUTE_AT]!;
    const groups = routes[at]!;
    if (group >= groups) continue;
    const groupFirst = routes[at + 1 + group]!;
    const groupSize = routes[at + 2 + group]! - groupFirst;
    const localFirst = Math.min(first, groupSize);
    const localEnd = Math.min(end, groupSize);
    const lo = groupFirst + localFirst;
    const hi = groupFirst + localEnd;
    const table = at + 2 + groups;
    const entries = table + routes[at + 1 + groups]! * TIERS + 1;
    const from = routes[table + lo * TIERS]!;
    const to = routes[table + hi * TIERS]!;
    if (to === from) continue;
    const records = views.records(parity, lane);
    const tierLane = views.buffers.shape.tierLane;
    // Back to the order the records were written in (offsets ascend with it), then a stable
    // counting sort by the new bucket.
    const slice = routes.subarray(entries + from, entries + to);
    slice.sort();
    const n = to - from;
    scratch.ensure(n);
    const keys = scratch.keys;
    const offsets = scratch.offsets;
    for (let i = 0; i < n; i++) {
      const offset = slice[i]!;
      const index = indexOf(records, offset);
      if (index >= 0 && !(index >= localFirst && index < localEnd)) return false;
      keys[i] = (index < 0 ? 0 : index - localFirst) * TIERS + (records[offset + tierLane]! | 0);
      offsets[i] = offset;
    }
    // Relative bucket starts, written back into the table (its first and last words stay: they
    // bound the moved partitions' entries), then the entries placed with a cursor per bucket.
    const buckets = (hi - lo) * TIERS;
    const cursor = new Int32Array(buckets + 1);
    for (let i = 0; i < n; i++) cursor[keys[i]! + 1]!++;
    for (let b = 0; b < buckets; b++) cursor[b + 1]! += cursor[b]!;
    const base = table + lo * TIERS;
    for (let b = 1; b < buckets; b++) routes[base + b] = from + cursor[b]!;
    for (let i = 0; i < n; i++) slice[cursor[keys[i]!]!++] = offsets[i]!;
  }
  return true;
}
