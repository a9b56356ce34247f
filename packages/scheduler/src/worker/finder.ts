/**
 * Where a worker finds its next job: its own deque (fast path), its own injector range (overflow),
 * then peers — half of a peer's deque, or else half of what is left in a peer's injector range.
 * Runs on the worker thread that owns `local`; reads every peer's memory through atomics.
 */
import { LocalQueue } from '../deque/localQueue.js';
import { EMPTY } from '../deque/layout.js';
import { Stealer, type StealOutcome } from '../deque/stealer.js';
import { dequeBase, INJ_END, INJ_NEXT, slotWord, type PoolMemory } from '../pool/layout.js';

/** Jobs popped at once from a long own deque: 16 tiny jobs are well under a microsecond of work. */
const GROUP = 16;

/** Counters the finder bumps (plain fields; the loop flushes them to shared memory). */
export interface FinderCounters {
  localPops: number;
  steals: number;
  stolenJobs: number;
  failedSteals: number;
}

/** The job-finding half of a worker. */
export class Finder {
  readonly local: LocalQueue;
  private readonly stealers: Stealer[] = [];
  private readonly ctl: Int32Array;
  private readonly outcome: StealOutcome = { moved: 0, lostRaces: 0 };
  private rng: number;
  /** Jobs this worker popped as a group and has not run yet (invisible to thieves meanwhile). */
  private readonly group = new Int32Array(GROUP);
  private groupAt = 0;
  private groupLen = 0;
  /** Jobs taken by the last successful `claim`. */
  private claimed = 0;
  /** The batch's `order` array (job ids grouped by worker). */
  order: Int32Array = new Int32Array(0);

  constructor(
    mem: PoolMemory,
    private readonly slot: number,
    private readonly counters: FinderCounters,
  ) {
    this.ctl = mem.ctl;
    for (let s = 0; s < mem.maxThreads; s++) {
      this.stealers.push(new Stealer(mem.ctl, dequeBase(s, mem.maxThreads, mem.capacity), mem.capacity));
    }
    this.local = new LocalQueue(mem.ctl, dequeBase(slot, mem.maxThreads, mem.capacity), mem.capacity);
    this.rng = (slot + 1) * 0x9e3779b9;
  }

  /** Own deque (a group at a time when it is long, else one), then own injector range. `EMPTY` when both are empty. */
  nextLocal(): number {
    if (this.groupAt < this.groupLen) return this.group[this.groupAt++]!;
    const n = this.local.popMany(this.group);
    if (n > 0) {
      this.counters.localPops += n;
      this.groupLen = n;
      this.groupAt = 1;
      return this.group[0]!;
    }
    const id = this.local.pop();
    if (id !== EMPTY) {
      this.counters.localPops++;
      return id;
    }
    const got = this.claim(this.slot, this.local.capacity);
    if (got !== EMPTY) this.counters.localPops++;
    return got;
  }

  /** One pass over the peers among slots [0, threads). `EMPTY` when every one was empty. */
  steal(threads: number): number {
    if (threads < 2) return EMPTY;
    // xorshift32: a different starting victim each time spreads thieves over peers.
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x;
    const start = (x >>> 0) % threads;
    for (let i = 0; i < threads; i++) {
      const victim = (start + i) % threads;
      if (victim === this.slot) continue;
      const moved = this.stealers[victim]!.stealHalfInto(this.local, this.local.capacity, this.outcome);
      this.counters.failedSteals += moved.lostRaces;
      let id = moved.moved > 0 ? this.local.pop() : EMPTY;
      if (id === EMPTY) id = this.claim(victim, -1);
      if (id !== EMPTY) {
        this.counters.steals++;
        this.counters.stolenJobs += moved.moved > 0 ? moved.moved : this.claimed;
        return id;
      }
    }
    return EMPTY;
  }

  /**
   * Claims jobs from `victim`'s injector range: up to `max` for the owner, or half of what is left
   * (up to the deque's capacity) for a thief (`max` = -1). Pushes all but the first into the own
   * deque in reverse, so the owner then pops them in ascending order and thieves take the far end.
   */
  private claim(victim: number, max: number): number {
    const ctl = this.ctl;
    const nextWord = slotWord(victim, INJ_NEXT);
    const end = Atomics.load(ctl, slotWord(victim, INJ_END));
    const next = Atomics.load(ctl, nextWord);
    if (next >= end) return EMPTY; // checked first so an empty range's cursor is not pushed up forever
    const room = this.local.capacity - this.local.len();
    let want = max >= 0 ? max : Math.ceil((end - next) / 2);
    if (want > room) want = room;
    if (want < 1) want = 1;
    const start = Atomics.add(ctl, nextWord, want);
    if (start >= end) return EMPTY;
    const got = Math.min(want, end - start);
    this.claimed = got;
    this.local.pushReversed(this.order, start + 1, got - 1);
    return this.order[start]!;
  }
}
