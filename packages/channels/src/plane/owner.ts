/**
 * The owner's side of the tick plane (the thread that runs the ticks): it opens a parity for a
 * tick's producers, closes it with the number of segments they wrote, adds segments of its own
 * (outside input, restored messages) on its own lane, moves buckets when recipients moved, and
 * copies a parity's records out in merge order (what a sealed tick keeps).
 */
import { ChannelError } from '../errors.js';
import { PlaneViews, type TickPlaneBuffers } from './buffers.js';
import {
  DIR_HEADER,
  DIR_SEGMENTS,
  MAX_SEGMENTS,
  SEG_LANE,
  SEG_RECORDS_END,
  SEG_RECORDS_START,
  SEG_ROUTE_AT,
  SEG_ROUTED,
  SEG_TIER_COUNTS,
  SEG_UNROUTED,
  SEGMENT_WORDS,
  TIERS,
  type PartitionOf,
} from './layout.js';
import { LaneProducer } from './producer.js';
import { rekeyPartitions } from './rekey.js';
import { RouteScratch } from './route.js';

export class TickPlane {
  readonly views: PlaneViews;
  private readonly own: LaneProducer;
  private readonly scratch = new RouteScratch();

  /** `ownLane`: the lane the owner writes its own segments into (no producer thread may use it). */
  constructor(
    readonly buffers: TickPlaneBuffers,
    readonly ownLane: number,
  ) {
    if (!(ownLane >= 0 && ownLane < buffers.lanes)) throw new ChannelError('CHANNEL_INVALID_OPTION', `tick plane: own lane ${ownLane} is not one of its ${buffers.lanes} lanes`);
    this.views = new PlaneViews(buffers);
    this.own = new LaneProducer(this.views, ownLane);
  }

  /** Empties parity `parity` for a tick's producers: every lane's records, routes and segments. */
  open(parity: number): void {
    const lengths = this.views.lengths;
    for (let lane = 0; lane < this.buffers.lanes; lane++) {
      const at = this.views.lengthAt(parity, lane);
      lengths[at] = 0;
      lengths[at + 1] = 0;
    }
    const directory = this.views.directories[parity]!;
    // All of it (40 KB): a tick that failed before `close` may have left entries past the count.
    directory.fill(0, DIR_HEADER, DIR_HEADER + MAX_SEGMENTS * SEGMENT_WORDS);
    directory[DIR_SEGMENTS] = 0;
  }

  /** Segments [0, count) of the parity are the producers' (a slot no producer filled reads as empty). */
  close(parity: number, count: number): void {
    if (!(count >= 0 && count <= MAX_SEGMENTS)) throw new ChannelError('CHANNEL_INVALID_OPTION', `tick plane: ${count} segments, more than the ${MAX_SEGMENTS} a parity holds`);
    this.views.directories[parity]![DIR_SEGMENTS] = count;
  }

  /** Segments in parity `parity`. */
  segments(parity: number): number {
    return this.views.directories[parity]![DIR_SEGMENTS]!;
  }

  /**
   * Appends records (whole records, back to back) as the parity's next segment, on the owner's
   * lane, routed now. Returns the number of dead letters among them.
   */
  append(parity: number, records: Float64Array, groupStarts: ArrayLike<number>, partitionOf: PartitionOf): number {
    const directory = this.views.directories[parity]!;
    const segment = directory[DIR_SEGMENTS]!;
    if (segment >= MAX_SEGMENTS) throw new ChannelError('CHANNEL_FULL', `tick plane: parity ${parity} already has ${MAX_SEGMENTS} segments`);
    const own = this.own;
    own.begin(parity);
    const at = own.reserve(records.length);
    own.records.set(records, at);
    const dead = own.end(segment, groupStarts, partitionOf);
    directory[DIR_SEGMENTS] = segment + 1;
    return dead;
  }

  /**
   * Recipients of partitions [first, end) of `group` moved among those partitions: their buckets
   * follow. `indexOf` gives a record's partition within the group now (-1: its recipient is gone;
   * it stays in the range for its reader to count). False when one moved elsewhere — then
   * `reroute` the parity.
   */
  moved(parity: number, group: number, first: number, end: number, indexOf: PartitionOf): boolean {
    return rekeyPartitions(this.views, this.scratch, parity, group, first, end, indexOf);
  }

  /**
   * Routes every record of the parity again, as one segment on the owner's lane (delivery order
   * unchanged). Returns the dead letters found now (records already dead when first routed were
   * counted then and are left out).
   */
  reroute(parity: number, groupStarts: ArrayLike<number>, partitionOf: PartitionOf): number {
    const records = this.gather(parity);
    return this.replace(parity, records, groupStarts, partitionOf);
  }

  /** Makes `records` the parity's only content (a restore), routed now. Returns its dead letters. */
  replace(parity: number, records: Float64Array, groupStarts: ArrayLike<number>, partitionOf: PartitionOf): number {
    this.open(parity);
    return this.append(parity, records, groupStarts, partitionOf);
  }

  /**
   * A copy of the parity's routed records, segment after segment in directory order and in write
   * order within a segment — what `replace` routes back into the same delivery order (a seal).
   * Records that were dead letters when routed are left out: they were counted then.
   */
  gather(parity: number): Float64Array {
    const directory = this.views.directories[parity]!;
    const segments = directory[DIR_SEGMENTS]!;
    const lengthLane = this.buffers.shape.lengthLane;
    const parts: Float64Array[] = [];
    let total = 0;
    for (let s = 0; s < segments; s++) {
      const entry = DIR_HEADER + s * SEGMENT_WORDS;
      const lane = directory[entry + SEG_LANE]! - 1;
      if (lane < 0) continue;
      const records = this.views.records(parity, lane);
      const start = directory[entry + SEG_RECORDS_START]!;
      const end = directory[entry + SEG_RECORDS_END]!;
      if (directory[entry + SEG_UNROUTED] === 0) {
        parts.push(records.subarray(start, end));
        total += end - start;
        continue;
      }
      // Some were dead letters: the routed ones, by their entries put back in write order.
      const routes = this.views.routes(parity, lane);
      const at = directory[entry + SEG_ROUTE_AT]!;
      const groups = routes[at]!;
      const entries = at + 2 + groups + routes[at + 1 + groups]! * TIERS + 1;
      const offsets = routes.slice(entries, entries + directory[entry + SEG_ROUTED]!).sort();
      for (const offset of offsets) {
        const length = records[offset + lengthLane]!;
        parts.push(records.subarray(offset, offset + length));
        total += length;
      }
    }
    const out = new Float64Array(total);
    let to = 0;
    for (const part of parts) {
      out.set(part, to);
      to += part.length;
    }
    return out;
  }

  /** Routed records in the parity per tier (critical, high, normal, low): what waits to be delivered. */
  tierCounts(parity: number, out: number[] = [0, 0, 0, 0]): number[] {
    out.fill(0);
    const directory = this.views.directories[parity]!;
    const segments = directory[DIR_SEGMENTS]!;
    for (let s = 0; s < segments; s++) {
      const entry = DIR_HEADER + s * SEGMENT_WORDS;
      if (directory[entry + SEG_LANE] === 0) continue;
      for (let t = 0; t < TIERS; t++) out[t]! += directory[entry + SEG_TIER_COUNTS + t]!;
    }
    return out;
  }

  /** Dead letters found when the parity's segments were routed. */
  unrouted(parity: number): number {
    const directory = this.views.directories[parity]!;
    const segments = directory[DIR_SEGMENTS]!;
    let n = 0;
    for (let s = 0; s < segments; s++) n += directory[DIR_HEADER + s * SEGMENT_WORDS + SEG_UNROUTED]!;
    return n;
  }
}
