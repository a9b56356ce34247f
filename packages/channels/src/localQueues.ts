/**
 * The in-thread channel's storage: one power-of-two ring per tier (index 0 is the critical slot),
 * with head and tail positions kept in the control block so other threads can read depths.
 * Logical capacity may be any integer; the ring is the next power of two above it.
 * Single-thread: every method runs on the channel's thread.
 */
import { CONTROL_BYTES, FORMAT_VERSION, H_CAPACITY, H_CRITICAL_CAPACITY, H_MAGIC, H_STARVATION_LIMIT, H_STRATEGY, H_VERSION, MAGIC, POS_MASK, S_DROPPED_NEWEST, S_DROPPED_OLDEST, S_REJECTED, headIndex, tailIndex } from './layout.js';
import type { ResolvedOptions } from './options.js';
import { CRITICAL, TIER_COUNT } from './tiers.js';

function ringSize(capacity: number): number {
  let size = 1;
  while (size < capacity) size *= 2;
  return size;
}

export class LocalQueues<T> {
  readonly ctl = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  // Public for the channel's hot loops (localChannel.ts); nothing outside this package sees them.
  readonly rings: (T | undefined)[][] = [];
  readonly masks = new Int32Array(TIER_COUNT);
  readonly caps = new Int32Array(TIER_COUNT);
  private readonly depths = new Int32Array(TIER_COUNT);

  constructor(o: ResolvedOptions) {
    const ctl = this.ctl;
    ctl[H_MAGIC] = MAGIC;
    ctl[H_VERSION] = FORMAT_VERSION;
    ctl[H_CAPACITY] = o.capacity;
    ctl[H_CRITICAL_CAPACITY] = o.criticalCapacity;
    ctl[H_STRATEGY] = o.strategyCode;
    ctl[H_STARVATION_LIMIT] = o.starvationLimit;
    for (let t = 0; t < TIER_COUNT; t++) {
      const cap = t === CRITICAL ? o.criticalCapacity : o.capacity;
      const size = ringSize(cap);
      this.rings.push(new Array<T | undefined>(size).fill(undefined));
      this.masks[t] = size - 1;
      this.caps[t] = cap;
    }
  }

  depth(t: number): number {
    const ctl = this.ctl;
    return (ctl[tailIndex(t)]! - ctl[headIndex(t)]!) & POS_MASK;
  }

  /** Current depths of every tier, in a reused array (valid until the next call). */
  fillDepths(): Int32Array {
    const d = this.depths;
    for (let t = 0; t < TIER_COUNT; t++) d[t] = this.depth(t);
    return d;
  }

  /** Appends without a capacity check (the caller checked or a blocked sender takes a freed slot). */
  push(t: number, message: T): void {
    const ctl = this.ctl;
    const ti = tailIndex(t);
    const tail = ctl[ti]!;
    this.rings[t]![tail & this.masks[t]!] = message;
    ctl[ti] = (tail + 1) & POS_MASK;
  }

  /** Removes the oldest message of tier `t`, which must not be empty. */
  shift(t: number): T {
    const ctl = this.ctl;
    const hi = headIndex(t);
    const head = ctl[hi]!;
    const ring = this.rings[t]!;
    const slot = head & this.masks[t]!;
    const message = ring[slot] as T;
    ring[slot] = undefined;
    ctl[hi] = (head + 1) & POS_MASK;
    return message;
  }

  /** Appends under the overflow strategy (codes of `STRATEGIES`). */
  offer(t: number, message: T, strategy: number): 'ok' | 'full' {
    const ctl = this.ctl;
    const ti = tailIndex(t);
    const tail = ctl[ti]!;
    if (((tail - ctl[headIndex(t)]!) & POS_MASK) < this.caps[t]!) {
      this.rings[t]![tail & this.masks[t]!] = message;
      ctl[ti] = (tail + 1) & POS_MASK;
      return 'ok';
    }
    return this.overflow(t, message, strategy);
  }

  private overflow(t: number, message: T, strategy: number): 'ok' | 'full' {
    switch (strategy) {
      case 1:
        this.ctl[S_DROPPED_NEWEST]!++;
        return 'full';
      case 2:
        this.shift(t);
        this.ctl[S_DROPPED_OLDEST]!++;
        this.push(t, message);
        return 'ok';
      case 3:
        this.ctl[S_REJECTED]!++;
        return 'full';
      default:
        return 'full';
    }
  }
}
