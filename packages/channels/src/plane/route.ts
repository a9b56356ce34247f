/**
 * Routing one segment: a counting sort of its records' offsets by (partition, tier), stable, so
 * the records of one bucket keep the order they were written in. O(records + partitions).
 */
import { ChannelError } from '../errors.js';
import type { PlaneViews } from './buffers.js';
import {
  ensureBytes,
  SEG_LANE,
  SEG_RECORDS_END,
  SEG_RECORDS_START,
  SEG_ROUTE_AT,
  SEG_ROUTED,
  SEG_TIER_COUNTS,
  SEG_UNROUTED,
  SEGMENT_WORDS,
  DIR_HEADER,
  MAX_SEGMENTS,
  TIERS,
  type PartitionOf,
  type RecordShape,
} from './layout.js';

/** Per-thread scratch: each record's bucket and offset, reused between segments. */
export class RouteScratch {
  keys = new Int32Array(1024);
  offsets = new Int32Array(1024);

  /** Room for `n` records, keeping what is written so far. */
  ensure(n: number): void {
    if (n <= this.keys.length) return;
    const size = Math.max(n, this.keys.length * 2);
    const keys = new Int32Array(size);
    keys.set(this.keys);
    this.keys = keys;
    const offsets = new Int32Array(size);
    offsets.set(this.offsets);
    this.offsets = offsets;
  }
}

/**
 * Routes records [start, end) of lane `lane` (parity `parity`) as segment `segment`: writes its
 * route after the lane's used route words and its directory entry. `groupStarts` (G + 1 ascending
 * numbers from 0) are the partitions' groups; `partitionOf` gives a record's partition in
 * [0, groupStarts[G]) or -1 (a dead letter). Returns the number of dead letters.
 * @throws ChannelError `CHANNEL_RECORD_INVALID` (a record's length or tier is out of range: nothing is published)
 */
export function routeSegment(
  views: PlaneViews,
  scratch: RouteScratch,
  parity: number,
  lane: number,
  segment: number,
  start: number,
  end: number,
  groupStarts: ArrayLike<number>,
  partitionOf: PartitionOf,
): number {
  if (!(segment >= 0 && segment < MAX_SEGMENTS)) throw new ChannelError('CHANNEL_INVALID_OPTION', `tick plane: segment ${segment} is not in [0, ${MAX_SEGMENTS})`);
  const { lengthLane, tierLane } = views.buffers.shape;
  const records = views.records(parity, lane);
  const tierCounts = new Int32Array(TIERS);
  const headerLanes = Math.max(lengthLane, tierLane);
  // Room for as many records as the segment can hold (each has at least its header lanes).
  scratch.ensure(Math.ceil((end - start) / (headerLanes + 1)));
  const keys = scratch.keys;
  const offsets = scratch.offsets;
  let n = 0;
  let unrouted = 0;
  // Pass 1: each record's bucket (its recipient's partition and its tier).
  const groups = groupStarts.length - 1;
  const partitions = groupStarts[groups]!;
  for (let at = start; at < end; ) {
    // Integers from here on (`| 0`): a double loop index makes every typed-array access slower.
    const lengthLanes = records[at + lengthLane]!;
    const length = lengthLanes | 0;
    if (length !== lengthLanes || length <= headerLanes || at + length > end) {
      throw badRecord(lane, at, `length ${lengthLanes} (segment ends at ${end})`);
    }
    const tierLanes = records[at + tierLane]!;
    const tier = tierLanes | 0;
    if (tier !== tierLanes || tier < 0 || tier >= TIERS) throw badRecord(lane, at, `tier ${tierLanes}`);
    const partition = partitionOf(records, at);
    if (partition >= 0 && partition < partitions) {
      tierCounts[tier]!++;
      keys[n] = partition * TIERS + tier;
      offsets[n++] = at;
    } else {
      unrouted++;
    }
    at += length;
  }
  // Pass 2: the route — groups, bucket table (counts, then starts), entries in bucket order. A
  // segment with nothing to deliver gets an empty route (no groups): no table to write or read.
  const routedGroups = n === 0 ? 0 : groups;
  const buckets = n === 0 ? 0 : partitions * TIERS;
  const words = 1 + routedGroups + 1 + buckets + 1 + n;
  const lengths = views.lengths;
  const lengthAt = views.lengthAt(parity, lane) + 1;
  const routeAt = lengths[lengthAt]!;
  ensureBytes(views.routeBuffer(parity, lane), (routeAt + words) * 4);
  const routes = views.routes(parity, lane);
  routes[routeAt] = routedGroups;
  for (let g = 0; g <= routedGroups; g++) routes[routeAt + 1 + g] = routedGroups === 0 ? 0 : groupStarts[g]!;
  const table = routeAt + 2 + routedGroups;
  const entries = table + buckets + 1;
  routes.fill(0, table, table + buckets + 1);
  for (let i = 0; i < n; i++) routes[table + keys[i]! + 1]!++;
  for (let b = 0; b < buckets; b++) routes[table + b + 1]! += routes[table + b]!;
  // Place with the table as the cursor (start_b moves to end_b = start_{b+1}), then shift back.
  for (let i = 0; i < n; i++) routes[entries + routes[table + keys[i]!]!++] = offsets[i]!;
  for (let b = buckets; b > 0; b--) routes[table + b] = routes[table + b - 1]!;
  routes[table] = 0;
  lengths[lengthAt] = routeAt + words;

  const directory = views.directories[parity]!;
  const entry = DIR_HEADER + segment * SEGMENT_WORDS;
  directory[entry + SEG_LANE] = lane + 1;
  directory[entry + SEG_RECORDS_START] = start;
  directory[entry + SEG_RECORDS_END] = end;
  directory[entry + SEG_ROUTE_AT] = routeAt;
  directory[entry + SEG_ROUTED] = n;
  directory[entry + SEG_UNROUTED] = unrouted;
  for (let t = 0; t < TIERS; t++) directory[entry + SEG_TIER_COUNTS + t] = tierCounts[t]!;
  return unrouted;
}

function badRecord(lane: number, at: number, what: string): ChannelError {
  return new ChannelError('CHANNEL_RECORD_INVALID', `tick plane lane ${lane}: record at lane ${at} has ${what}`);
}
