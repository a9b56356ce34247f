/**
 * The tick plane's shared layout. Producers (one lane per thread) write records during tick T into
 * the lanes of parity T % 2 and route them at the end of each segment (a job's run of records);
 * consumers read parity T % 2 during tick T + 1 while the producers write the other parity. So a
 * record is written once, by its sender, and read once, by the job that owns its recipient's
 * partition, and no thread copies it in between.
 *
 * A directory per parity lists the segments in merge order (the order their records are
 * delivered in within a tier), each with the lane its records are in and where its route is: the
 * partition groups it was routed with, a bucket table of (partition, tier) and the records' offsets
 * sorted by bucket (stable: a sender's order survives).
 *
 * Route layout (Int32, in the lane's route buffer, from `SEG_ROUTE_AT`):
 * `[G, groupStart_0 … groupStart_G, table_0 … table_{B·TIERS}, entries…]` where B = groupStart_G,
 * bucket (p, tier) = p · TIERS + tier holds entries [table_b, table_{b+1}).
 */
import { TIER_COUNT } from '../tiers.js';

export const PARITIES = 2;
/** Buckets per partition: one per tier, critical first. */
export const TIERS = TIER_COUNT;

/** Directory words (Int32 per parity): the segment count, then the segments. */
export const DIR_SEGMENTS = 0;
export const DIR_HEADER = 2;
/** Segments per parity a directory has room for (a segment per job, plus outside input). */
export const MAX_SEGMENTS = 1024;

/** Words per segment entry. */
export const SEGMENT_WORDS = 10;
/** Lane + 1 (0: no segment in this slot, e.g. a job that sent nothing or never finished). */
export const SEG_LANE = 0;
export const SEG_RECORDS_START = 1;
export const SEG_RECORDS_END = 2;
export const SEG_ROUTE_AT = 3;
/** Records that went into a bucket. */
export const SEG_ROUTED = 4;
/** Records whose recipient has no partition (`partitionOf` returned -1): dead letters. */
export const SEG_UNROUTED = 5;
/** Routed records per tier (TIERS words). */
export const SEG_TIER_COUNTS = 6;

export const DIRECTORY_WORDS = DIR_HEADER + MAX_SEGMENTS * SEGMENT_WORDS;

/** Words of the lengths buffer per (parity, lane): records used (float64 lanes), route words used. */
export const LENGTH_WORDS = 2;

/** Where a record's length and tier are, in float64 lanes from its start. */
export interface RecordShape {
  readonly lengthLane: number;
  readonly tierLane: number;
}

/** Maps a record to its recipient's partition (global index in the segment's groups), or -1: a dead letter. */
export type PartitionOf = (records: Float64Array, at: number) => number;

/** Address space reserved per lane buffer (virtual: memory is committed as it grows). */
export const MAX_LANE_BYTES = 2 ** 31;

export function ensureBytes(buffer: SharedArrayBuffer, bytes: number): void {
  if (buffer.byteLength >= bytes) return;
  if (bytes > buffer.maxByteLength) throw new RangeError(`a tick plane lane needs ${bytes} bytes, more than the ${buffer.maxByteLength} reserved`);
  buffer.grow(Math.min(buffer.maxByteLength, Math.max(bytes, buffer.byteLength * 2, 1 << 16)));
}
