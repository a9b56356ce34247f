/**
 * The cross-thread rings: one bounded MPMC ring per tier (Vyukov's design) in one
 * `SharedArrayBuffer` after the control block. Every slot has a sequence number:
 *   seq == pos           the slot is free for the producer that reserves position `pos`;
 *   seq == pos + 1       the record for `pos` is fully written (published);
 *   seq == pos + size    freed by the consumer for the next lap.
 * A producer reserves `pos` by compare-and-exchange on the tier's tail, writes the record, then
 * publishes with `Atomics.store(seq)`; the consumer only reads a slot whose seq says published, so
 * it never sees a half-written record (Atomics are sequentially consistent: the plain record
 * stores happen-before the seq store that publishes them). Heads advance by CAS too, because a
 * `drop-oldest` producer may evict the oldest record. Bit 30 of a tail closes the tier: a
 * producer's CAS then fails and no position is handed out after close.
 *
 * The sequence word lives inside each slot (bytes 4..7, the record header's padding), so a
 * record and its seq share a cache line: one line moves between cores per message, not two.
 *
 * Memory: [control block][slots of tier 0..3]. Threads: `reserve`/`publish`
 * on any sender thread; `claim`/`release` on the receiver's thread (and drop-oldest senders).
 */
import { recordViews, type RecordViews } from './codec.js';
import { CLOSED_BIT, CONTROL_BYTES, POS_MASK, headIndex, posDiff, tailIndex } from './layout.js';
import { CRITICAL, TIER_COUNT } from './tiers.js';

export const FULL = -1;
export const CLOSED = -2;

/** Byte offsets of each tier's sequence words and records in the buffer. */
export interface RingLayout {
  readonly sizes: readonly number[];
  readonly dataBase: readonly number[];
  readonly totalBytes: number;
}

export function ringLayout(capacity: number, criticalCapacity: number, recordBytes: number): RingLayout {
  const sizes = [criticalCapacity, capacity, capacity, capacity];
  const dataBase: number[] = [];
  let byte = CONTROL_BYTES;
  for (let t = 0; t < TIER_COUNT; t++) {
    dataBase.push(byte);
    byte += Math.ceil((sizes[t]! * recordBytes) / 64) * 64;
  }
  return { sizes, dataBase, totalBytes: byte };
}

export class SharedRings {
  readonly i32: Int32Array;
  readonly views: RecordViews;
  readonly masks: Int32Array;
  private readonly sizes: Int32Array;
  readonly dataBase: Int32Array;
  /** Consumer's last known head per tier (a guess: CAS corrects it). */
  private readonly heads = new Int32Array(TIER_COUNT);
  /** This thread's last known tail per tier (a guess: CAS corrects it). */
  private readonly tails = new Int32Array(TIER_COUNT);

  constructor(
    buffer: SharedArrayBuffer,
    layout: RingLayout,
    readonly recordBytes: number,
  ) {
    this.views = recordViews(buffer);
    this.i32 = this.views.i32;
    this.sizes = Int32Array.from(layout.sizes);
    this.masks = Int32Array.from(layout.sizes, (s) => s - 1);
    this.dataBase = Int32Array.from(layout.dataBase);
    for (let t = 0; t < TIER_COUNT; t++) {
      this.heads[t] = Atomics.load(this.i32, headIndex(t));
      this.tails[t] = Atomics.load(this.i32, tailIndex(t)) & POS_MASK;
    }
  }

  /** Sets every slot free for lap 0. Only the creating thread, before sharing the buffer. */
  init(): void {
    for (let t = 0; t < TIER_COUNT; t++) for (let s = 0; s < this.sizes[t]!; s++) this.i32[this.seqIndex(t, s)] = s;
  }

  /** Int32 index of the sequence word of position `pos` in tier `t`. */
  private seqIndex(t: number, pos: number): number {
    return ((this.dataBase[t]! + (pos & this.masks[t]!) * this.recordBytes) >> 2) + 1;
  }

  /** Whether the oldest record of tier `t` is published (one load; the receiver's thread). */
  hasPublished(t: number): boolean {
    const head = this.heads[t]!;
    return posDiff(Atomics.load(this.i32, this.seqIndex(t, head)), (head + 1) & POS_MASK) >= 0;
  }

  /** Byte offset of position `pos`'s record in tier `t`. */
  offset(t: number, pos: number): number {
    return this.dataBase[t]! + (pos & this.masks[t]!) * this.recordBytes;
  }

  /**
   * Reserves up to `max` consecutive positions of tier `t` with one compare-and-exchange; returns
   * how many (≥ 1, starting at `this.reserved`), or FULL / CLOSED. Any thread.
   *
   * The tail is not re-read with an atomic load before each attempt: the guess is the tail this
   * thread last saw, and a failed CAS returns the real one (with one producer the guess is always
   * right, so a send costs one CAS instead of a load and a CAS).
   */
  reserveMany(t: number, max: number): number {
    const i32 = this.i32;
    const ti = tailIndex(t);
    const limit = Math.min(max, this.sizes[t]!);
    let tail = this.tails[t]!;
    for (;;) {
      if ((tail & CLOSED_BIT) !== 0) {
        // The guess may predate close or be stale; only a fresh read may say closed.
        const now = Atomics.load(i32, ti);
        if ((now & CLOSED_BIT) !== 0) return CLOSED;
        tail = now;
      }
      let k = 0;
      let d = 0;
      while (k < limit) {
        d = posDiff(Atomics.load(i32, this.seqIndex(t, tail + k)), (tail + k) & POS_MASK);
        if (d !== 0) break;
        k++;
      }
      if (k === 0) {
        // d < 0: the slot still holds last lap's record (full) — unless the guess is stale.
        // d > 0: another producer took this position already. Either way re-read the tail.
        const now = Atomics.load(i32, ti);
        if (now !== tail) {
          tail = now;
          continue;
        }
        if ((now & CLOSED_BIT) !== 0) return CLOSED;
        return FULL;
      }
      const next = (tail + k) & POS_MASK;
      const seen = Atomics.compareExchange(i32, ti, tail, next);
      if (seen === tail) {
        this.tails[t] = next;
        this.reserved = tail;
        return k;
      }
      tail = seen;
    }
  }

  /** First position of the last `reserveMany`. */
  reserved = 0;

  /**
   * Reserves the next position of tier `t`, or returns FULL / CLOSED. Any thread. The one-record
   * case of `reserveMany`, kept separate because it is `trySend`'s hot path: one load of the
   * slot's sequence word and one compare-and-exchange when the tail guess is right.
   */
  reserve(t: number): number {
    const i32 = this.i32;
    const ti = tailIndex(t);
    const base = this.dataBase[t]!;
    const mask = this.masks[t]!;
    const rb = this.recordBytes;
    let tail = this.tails[t]!;
    for (;;) {
      const seq = Atomics.load(i32, ((base + (tail & mask) * rb) >> 2) + 1);
      if (seq === tail) {
        const next = (tail + 1) & POS_MASK;
        const seen = Atomics.compareExchange(i32, ti, tail, next);
        if (seen === tail) {
          this.tails[t] = next;
          return tail;
        }
        if ((seen & CLOSED_BIT) !== 0) return CLOSED;
        tail = seen;
        continue;
      }
      // Full (the slot still holds last lap's record), or the guess is stale: ask the tail.
      const now = Atomics.load(i32, ti);
      if ((now & CLOSED_BIT) !== 0) return CLOSED;
      if (now === tail) return FULL;
      tail = now;
    }
  }

  /** Whether the slot at tier `t`'s tail is free, or the tier closed (a retry will tell). Any thread. */
  hasFree(t: number): boolean {
    const tail = Atomics.load(this.i32, tailIndex(t));
    return (tail & CLOSED_BIT) !== 0 || posDiff(Atomics.load(this.i32, this.seqIndex(t, tail)), tail & POS_MASK) >= 0;
  }

  /** Whether any tier has a published record at its head (the receiver's thread). */
  anyPublished(): boolean {
    for (let t = 0; t < TIER_COUNT; t++) if (this.hasPublished(t)) return true;
    return false;
  }

  /** Makes the record at `pos` visible to the consumer. The reserving thread, once. */
  publish(t: number, pos: number): void {
    Atomics.store(this.i32, this.seqIndex(t, pos), (pos + 1) & POS_MASK);
  }

  /**
   * Publishes `k` consecutive reserved records from `pos` with one sequentially consistent store:
   * the later sequence words are written plainly, the first one last with `Atomics.store`. The
   * consumer reads them in order starting with the first, so it reads a later one only after
   * its atomic load of the first saw it published, which makes every earlier write (records and
   * plain sequence words) visible to it.
   */
  publishMany(t: number, pos: number, k: number): void {
    const i32 = this.i32;
    const base = this.dataBase[t]!;
    const mask = this.masks[t]!;
    const rb = this.recordBytes;
    for (let i = k - 1; i > 0; i--) i32[((base + ((pos + i) & mask) * rb) >> 2) + 1] = (pos + i + 1) & POS_MASK;
    Atomics.store(i32, this.seqIndex(t, pos), (pos + 1) & POS_MASK);
  }

  /** Claims the oldest published record of tier `t`; returns its position or -1. */
  claim(t: number): number {
    const i32 = this.i32;
    const hi = headIndex(t);
    let head = this.heads[t]!;
    for (;;) {
      const d = posDiff(Atomics.load(i32, this.seqIndex(t, head)), (head + 1) & POS_MASK);
      if (d === 0) {
        const next = (head + 1) & POS_MASK;
        const seen = Atomics.compareExchange(i32, hi, head, next);
        if (seen === head) {
          this.heads[t] = next;
          return head;
        }
        head = seen;
      } else if (d < 0) {
        // Not published yet: empty, or a producer is still writing it. Refresh the guess.
        const now = Atomics.load(i32, hi);
        if (now === head) return -1;
        head = now;
      } else {
        head = Atomics.load(i32, hi);
      }
    }
  }

  /** First position of the last `claimMany`. */
  claimed = 0;

  /**
   * Claims up to `max` consecutive published records of tier `t` with one compare-and-exchange;
   * returns how many (0 when none is ready). They start at `this.claimed`.
   */
  claimMany(t: number, max: number): number {
    const i32 = this.i32;
    const hi = headIndex(t);
    let head = this.heads[t]!;
    for (;;) {
      let k = 0;
      const base = this.dataBase[t]!;
      const mask = this.masks[t]!;
      const rb = this.recordBytes;
      while (k < max) {
        const pos = head + k;
        if (Atomics.load(i32, ((base + (pos & mask) * rb) >> 2) + 1) !== ((pos + 1) & POS_MASK)) break;
        k++;
      }
      if (k === 0) {
        const now = Atomics.load(i32, hi);
        if (now === head) return 0;
        head = now;
        continue;
      }
      const next = (head + k) & POS_MASK;
      const seen = Atomics.compareExchange(i32, hi, head, next);
      if (seen === head) {
        this.heads[t] = next;
        this.claimed = head;
        return k;
      }
      head = seen;
    }
  }

  /** Frees the slot of a claimed position for the next lap. */
  release(t: number, pos: number): void {
    Atomics.store(this.i32, this.seqIndex(t, pos), (pos + this.sizes[t]!) & POS_MASK);
  }

  /**
   * Frees `k` consecutive claimed slots from `pos` with one sequentially consistent store, the
   * first slot last (as `publishMany`): producers reserve positions in order, so one reaches a
   * later slot only through a reservation that saw the first slot free.
   */
  releaseMany(t: number, pos: number, k: number): void {
    if (k <= 0) return;
    const i32 = this.i32;
    const size = this.sizes[t]!;
    const base = this.dataBase[t]!;
    const mask = this.masks[t]!;
    const rb = this.recordBytes;
    for (let i = k - 1; i > 0; i--) i32[((base + ((pos + i) & mask) * rb) >> 2) + 1] = (pos + i + size) & POS_MASK;
    Atomics.store(i32, this.seqIndex(t, pos), (pos + size) & POS_MASK);
  }

  /** Queued (reserved) records of tier `t`. Any thread. */
  depth(t: number): number {
    const tail = Atomics.load(this.i32, tailIndex(t)) & POS_MASK;
    return Math.max(0, posDiff(tail, Atomics.load(this.i32, headIndex(t))));
  }

  /** Closes every tier: no position is reserved after this returns. */
  close(): void {
    for (let t = 0; t < TIER_COUNT; t++) Atomics.or(this.i32, tailIndex(t), CLOSED_BIT);
  }

  /** True when closed and every reserved record has been claimed. */
  closedAndDrained(): boolean {
    for (let t = CRITICAL; t < TIER_COUNT; t++) {
      const tail = Atomics.load(this.i32, tailIndex(t));
      if ((tail & CLOSED_BIT) === 0 || (tail & POS_MASK) !== Atomics.load(this.i32, headIndex(t))) return false;
    }
    return true;
  }
}
