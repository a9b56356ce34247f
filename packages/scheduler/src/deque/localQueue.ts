/**
 * The owner's side of a Chase–Lev deque (Chase & Lev 2005; the C11 form of Lê et al. 2013).
 *
 * Thread rule: exactly one thread, the owner, may call `push`, `pop` and `reset` on a given deque
 * at any time. Other threads use a `Stealer` over the same memory. JavaScript `Atomics` operations
 * are sequentially consistent, which gives the store→load fence `pop` needs between publishing
 * the new `bottom` and reading `top`.
 */
import { assertCapacity, BOTTOM, EMPTY, SLOTS, TOP } from './layout.js';

/** Owner handle: push and pop at the bottom without contention except on the last element. */
export class LocalQueue {
  readonly capacity: number;
  private readonly mask: number;
  private readonly top: number;
  private readonly bottom: number;
  private readonly slots: number;

  /**
   * @param mem  the shared words (also used by every `Stealer` of this deque)
   * @param base word index of the deque's header (see `layout.ts`)
   */
  constructor(
    private readonly mem: Int32Array,
    base: number,
    capacity: number,
  ) {
    assertCapacity(capacity);
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.top = base + TOP;
    this.bottom = base + BOTTOM;
    this.slots = base + SLOTS;
  }

  /** Number of jobs in the deque as the owner sees it (thieves may have taken some since). */
  len(): number {
    const n = this.mem[this.bottom]! - Atomics.load(this.mem, this.top);
    return n > 0 ? n : 0;
  }

  /** Appends `value` (≥ 0) at the bottom; `false` when full, and the caller takes the overflow path. */
  push(value: number): boolean {
    // Only the owner writes bottom, so a plain read of it is exact.
    const b = this.mem[this.bottom]!;
    const t = Atomics.load(this.mem, this.top);
    if (b - t >= this.capacity) return false;
    // Plain slot write, published by the seq-cst store of bottom below: a thief that reads the
    // new bottom with Atomics.load also sees the slot.
    this.mem[this.slots + (b & this.mask)] = value;
    Atomics.store(this.mem, this.bottom, b + 1);
    return true;
  }

  /**
   * Appends `src[from + count - 1]`, …, `src[from]` (reversed, so the owner later pops them in
   * ascending order) with one publishing store of bottom. The caller guarantees room for `count`.
   */
  pushReversed(src: Int32Array, from: number, count: number): void {
    const b = this.mem[this.bottom]!;
    for (let i = 0; i < count; i++) this.mem[this.slots + ((b + i) & this.mask)] = src[from + count - 1 - i]!;
    Atomics.store(this.mem, this.bottom, b + count);
  }

  /**
   * Takes up to `out.length` jobs at once, newest first, when the deque holds more than that;
   * returns how many (0: fewer were there, or thieves came close — use `pop`). One store/load
   * fence for the whole group instead of one per job. Same argument as `pop`: after publishing
   * the lowered bottom b, a top still below b proves no thief can reach indices ≥ b.
   */
  popMany(out: Int32Array): number {
    const mem = this.mem;
    const k = out.length;
    const b0 = mem[this.bottom]!;
    if (b0 - Atomics.load(mem, this.top) <= k) return 0;
    const b = b0 - k;
    Atomics.store(mem, this.bottom, b);
    if (Atomics.load(mem, this.top) >= b) {
      // Thieves got close to the reserved range: give it back and let the caller pop one by one.
      Atomics.store(mem, this.bottom, b0);
      return 0;
    }
    for (let i = 0; i < k; i++) out[i] = mem[this.slots + ((b0 - 1 - i) & this.mask)]!;
    return k;
  }

  /** Takes the most recently pushed job, or `EMPTY`. */
  pop(): number {
    const mem = this.mem;
    const b = mem[this.bottom]! - 1;
    // Reserve slot b before looking at top (seq-cst store then seq-cst load: no reordering).
    Atomics.store(mem, this.bottom, b);
    const t = Atomics.load(mem, this.top);
    if (t > b) {
      // Empty: undo the reservation.
      Atomics.store(mem, this.bottom, b + 1);
      return EMPTY;
    }
    const value = mem[this.slots + (b & this.mask)]!;
    if (t < b) return value; // more than one left: no thief can reach slot b
    // Last element: race the thieves for it through top.
    const won = Atomics.compareExchange(mem, this.top, t, t + 1) === t;
    Atomics.store(mem, this.bottom, b + 1);
    return won ? value : EMPTY;
  }

  /** Empties the deque. Only while no thread (owner or thief) is using it, e.g. between batches. */
  reset(): void {
    Atomics.store(this.mem, this.top, 0);
    Atomics.store(this.mem, this.bottom, 0);
  }
}
