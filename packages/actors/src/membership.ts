/**
 * Which pages' membership changed: for each page, the clock value of the last change to which of
 * its slots hold an actor, or to an actor's alive/suspended state. A reader that keeps a copy of
 * something per live actor (the engine's spatial index) remembers the stamps it saw and re-reads
 * only the pages whose stamp moved, instead of every slot every tick. Owner thread only.
 */
export class MembershipStamps {
  private readonly pages: number[] = [];
  /** A change to every page at once (restore, load, reorder). */
  private all = 0;
  private clock = 0;

  /** The stamp of `page`: equal to an earlier reading only if its membership has not changed since. */
  of(page: number): number {
    const own = this.pages[page] ?? 0;
    return own > this.all ? own : this.all;
  }

  touch(page: number): void {
    this.pages[page] = ++this.clock;
  }

  /** Pages [first, end) changed. */
  touchRange(first: number, end: number): void {
    const stamp = ++this.clock;
    for (let p = first; p < end; p++) this.pages[p] = stamp;
  }

  touchAll(): void {
    this.all = ++this.clock;
  }
}
