/**
 * The control block both implementations keep in a `SharedArrayBuffer` (an `Int32Array` view),
 * so telemetry can read depth, blocked senders and drops from any thread without messaging.
 * For the cross-thread channel the same block is also the ring header (positions and wake words).
 *
 * Hot words sit on their own 64-byte line (16 int32s) so producers (tails) and the consumer
 * (heads) do not false-share.
 */

/** Identifies a concurrengine channel block ("CHN1"). */
export const MAGIC = 0x43484e31;
/** Bumped on any layout change; `attachSharedChannel` refuses other versions. */
export const FORMAT_VERSION = 1;

/** Int32 words per cache line. */
const LINE = 16;

// Line 0: immutable after creation (written once by the creating thread before sharing).
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_RECORD_BYTES = 2;
export const H_CAPACITY = 3;
export const H_CRITICAL_CAPACITY = 4;
export const H_STRATEGY = 5;
export const H_STARVATION_LIMIT = 6;
export const H_CODEC_HASH = 7;
export const H_RECEIVER_TAKEN = 8;

/** Producer position of tier `t` (bit 30 = closed). Written by senders (CAS), read by all. */
export const tailIndex = (t: number): number => (t + 1) << 4;
/** Consumer position of tier `t`. Advanced by the receiver (and by drop-oldest senders, by CAS). */
export const headIndex = (t: number): number => (t + 5) << 4;

// Line 9: counters (rarely written).
export const S_BLOCKED = LINE * 9;
export const S_DROPPED_NEWEST = S_BLOCKED + 1;
export const S_DROPPED_OLDEST = S_BLOCKED + 2;
export const S_REJECTED = S_BLOCKED + 3;
export const S_CRITICAL_DIRECT = S_BLOCKED + 4;
export const S_PROMOTIONS = S_BLOCKED + 5;
export const S_CLOSED = S_BLOCKED + 6;

// Lines 10-12: wake words (Atomics.wait targets), one per line.
/** 1 while the receiver is parked waiting for messages; written by the receiver only. */
export const W_PARKED = LINE * 10;
/** Bumped by a sender that saw W_PARKED = 1; the receiver waits on it. */
export const W_RECV_SEQ = W_PARKED + 1;
/** Bumped by the receiver after freeing slots while S_BLOCKED > 0; blocked senders wait on it. */
export const W_SPACE_SEQ = LINE * 11;
/** Bumped by every critical send; the receiver's critical watcher waits on it. */
export const W_CRITICAL_SEQ = LINE * 12;

/** Size of the control block in bytes (a multiple of 64). */
export const CONTROL_BYTES = LINE * 13 * 4;

/** Positions are 30-bit counters; bit 30 of a tail word marks the tier closed. */
export const POS_MASK = 0x3fffffff;
export const CLOSED_BIT = 0x40000000;

/** Signed distance `a - b` between two 30-bit positions. */
export function posDiff(a: number, b: number): number {
  return ((a - b) << 2) >> 2;
}
