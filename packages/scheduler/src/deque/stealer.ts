/**
 * The thieves' side of a Chase–Lev deque. Any thread, including the owner's, may hold a `Stealer`
 * and call it concurrently with the owner and with other thieves.
 */
import { LocalQueue } from './localQueue.js';
import { assertCapacity, BOTTOM, EMPTY, RETRY, SLOTS, TOP } from './layout.js';

/** Outcome of `stealHalfInto`: how many jobs moved, and how many races were lost on the way. */
export interface StealOutcome {
  moved: number;
  lostRaces: number;
}

/** Thief handle: takes from the top with a compare-and-exchange on `top`. */
export class Stealer {
  private readonly mask: number;
  private readonly top: number;
  private readonly bottom: number;
  private readonly slots: number;

  constructor(
    private readonly mem: Int32Array,
    base: number,
    readonly capacity: number,
  ) {
    assertCapacity(capacity);
    this.mask = capacity - 1;
    this.top = base + TOP;
    this.bottom = base + BOTTOM;
    this.slots = base + SLOTS;
  }

  /** Approximate length (the owner and other thieves move both ends concurrently). */
  len(): number {
    const n = Atomics.load(this.mem, this.bottom) - Atomics.load(this.mem, this.top);
    return n > 0 ? n : 0;
  }

  /** Takes the oldest job: the job id, `EMPTY`, or `RETRY` when another thread won the race. */
  steal(): number {
    const mem = this.mem;
    // top before bottom: reading them the other way round could see a bottom that the owner's
    // later pop already lowered below a stale top's successor.
    const t = Atomics.load(mem, this.top);
    const b = Atomics.load(mem, this.bottom);
    if (t >= b) return EMPTY;
    // The slot is read before the CAS; the value is only used if the CAS proves that nobody took
    // index t meanwhile, and the owner cannot overwrite slot t while index t is still in the deque.
    const value = mem[this.slots + (t & this.mask)]!;
    return Atomics.compareExchange(mem, this.top, t, t + 1) === t ? value : RETRY;
  }

  /**
   * Steals about half of the deque (rounded up, at most `max`) into `dst`, oldest first, as
   * tokio's `steal_into` does. Each job moves by its own single-slot steal, so the owner's
   * last-element race keeps its usual proof; a batch CAS of `top` would not be safe against an
   * owner popping several times meanwhile.
   */
  stealHalfInto(dst: LocalQueue, max: number, out: StealOutcome): StealOutcome {
    out.moved = 0;
    out.lostRaces = 0;
    const want = Math.min(max, Math.ceil(this.len() / 2));
    while (out.moved < want) {
      const value = this.steal();
      if (value === EMPTY) break;
      if (value === RETRY) {
        out.lostRaces++;
        if (out.lostRaces > 2 * want + 4) break;
        continue;
      }
      // dst has room for `max` by the caller's contract, so push cannot fail.
      dst.push(value);
      out.moved++;
    }
    return out;
  }
}
