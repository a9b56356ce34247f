/**
 * The in-thread channel's storage: one power-of-two ring per tier (index 0 is the critical slot).
 * Logical capacity may be any integer; the ring is the next power of two above it.
 * Single-thread: every method runs on the channel's thread.
 *
 * Positions live in plain object fields (`TierRing.head`/`tail`), which the hot paths read and
 * write; the control block gets a copy so other threads can read depths. A send publishes its
 * tail at once (one plain int32 store); `drain` publishes the head once per run and on exit, so
 * a depth read from another thread during a `drain` call may be up to one run stale.
 */
import { CONTROL_BYTES, FORMAT_VERSION, H_CAPACITY, H_CRITICAL_CAPACITY, H_MAGIC, H_STARVATION_LIMIT, H_STRATEGY, H_VERSION, MAGIC, POS_MASK, S_DROPPED_NEWEST, S_DROPPED_OLDEST, S_REJECTED, headIndex, tailIndex } from './layout.js';
import type { ResolvedOptions } from './options.js';
import { CRITICAL, TIER_COUNT } from './tiers.js';

function ringSize(capacity: number): number {
  let size = 1;
  while (size < capacity) size *= 2;
  return size;
}

/**
 * One tier's ring. Every instance has the same shape (fields assigned in the constructor, in one
 * order), so the hot loops that touch them stay monomorphic.
 */
export class TierRing<T> {
  readonly buf: (T | undefined)[];
  readonly mask: number;
  readonly cap: number;
  /** Next position to receive (30-bit, wraps with POS_MASK). */
  head = 0;
  /** Next position to fill (30-bit, wraps with POS_MASK). */
  tail = 0;
  /** Control-block indices this tier publishes to. */
  readonly hi: number;
  readonly ti: number;

  constructor(t: number, cap: number) {
    const size = ringSize(cap);
    this.buf = new Array<T | undefined>(size).fill(undefined);
    this.mask = size - 1;
    this.cap = cap;
    this.hi = headIndex(t);
    this.ti = tailIndex(t);
  }

  get depth(): number {
    return (this.tail - this.head) & POS_MASK;
  }
}

export class LocalQueues<T> {
  readonly ctl = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  // Public for the channel's hot loops (localCore.ts); nothing outside this package sees them.
  readonly rings: TierRing<T>[] = [];
  private readonly depths = new Int32Array(TIER_COUNT);

  constructor(o: ResolvedOptions) {
    const ctl = this.ctl;
    ctl[H_MAGIC] = MAGIC;
    ctl[H_VERSION] = FORMAT_VERSION;
    ctl[H_CAPACITY] = o.capacity;
    ctl[H_CRITICAL_CAPACITY] = o.criticalCapacity;
    ctl[H_STRATEGY] = o.strategyCode;
    ctl[H_STARVATION_LIMIT] = o.starvationLimit;
    for (let t = 0; t < TIER_COUNT; t++) this.rings.push(new TierRing<T>(t, t === CRITICAL ? o.criticalCapacity : o.capacity));
  }

  depth(t: number): number {
    return this.rings[t]!.depth;
  }

  /** Current depths of every tier, in a reused array (valid until the next call). */
  fillDepths(): Int32Array {
    const d = this.depths;
    const rings = this.rings;
    for (let t = 0; t < TIER_COUNT; t++) d[t] = rings[t]!.depth;
    return d;
  }

  /** Copies every head to the control block (after a `drain` run moved them). */
  publishHeads(): void {
    const ctl = this.ctl;
    const rings = this.rings;
    for (let t = 0; t < TIER_COUNT; t++) ctl[rings[t]!.hi] = rings[t]!.head;
  }

  /** Appends without a capacity check (the caller checked or a blocked sender takes a freed slot). */
  push(t: number, message: T): void {
    const r = this.rings[t]!;
    const tail = r.tail;
    r.buf[tail & r.mask] = message;
    r.tail = (tail + 1) & POS_MASK;
    this.ctl[r.ti] = r.tail;
  }

  /** Removes the oldest message of tier `t`, which must not be empty. */
  shift(t: number): T {
    const r = this.rings[t]!;
    const head = r.head;
    const slot = head & r.mask;
    const message = r.buf[slot] as T;
    r.buf[slot] = undefined;
    r.head = (head + 1) & POS_MASK;
    this.ctl[r.hi] = r.head;
    return message;
  }

  /** Counts a drop or rejection under the overflow strategy (codes of `STRATEGIES`); the caller handles drop-oldest. */
  countOverflow(strategy: number): void {
    if (strategy === 1) this.ctl[S_DROPPED_NEWEST]!++;
    else if (strategy === 2) this.ctl[S_DROPPED_OLDEST]!++;
    else if (strategy === 3) this.ctl[S_REJECTED]!++;
  }
}
