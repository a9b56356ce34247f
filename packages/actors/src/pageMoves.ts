/**
 * Which pages' actors changed slots since someone last asked: a reader that keeps something per
 * slot or per page between ticks (the engine's messages in flight, routed by recipient page) can
 * then fix up just those pages. One range per store: sorts move a bounded window at a time.
 */
export class PageMoves {
  private first = Number.POSITIVE_INFINITY;
  private end = -1;

  /** Actors moved among (or into) pages [first, end). */
  note(first: number, end: number): void {
    if (end <= first) return;
    this.first = Math.min(this.first, first);
    this.end = Math.max(this.end, end);
  }

  /** The range moved since the last `take` (and forgets it), or undefined if nothing moved. */
  take(): { readonly first: number; readonly end: number } | undefined {
    if (this.end < 0) return undefined;
    const moved = { first: this.first, end: this.end };
    this.first = Number.POSITIVE_INFINITY;
    this.end = -1;
    return moved;
  }
}
