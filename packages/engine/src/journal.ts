/**
 * The input journal: everything that reaches the world from outside its handlers, with the tick
 * it applies to — messages from `send`/`sendAsync` (critical lane included), actors spawned or
 * despawned between ticks, and control commands that change what happens (a fault drill's rates). A tick's result depends only on the state before it and these
 * inputs, so a sealed or stored tick plus the journal re-executes to the same states: that is
 * how rewinding runs forward again, and how replay from disk reaches any tick.
 *
 * Inputs of tick t are applied at the start of tick t, edits before messages, each kind in the
 * order it was recorded. Main thread only.
 */

/** One input. `lanes` is a SEND record (send) or a spawned actor's field lanes (spawn). */
export type JournalEntry =
  | { readonly tick: number; readonly kind: 'send'; readonly lanes: Float64Array }
  | { readonly tick: number; readonly kind: 'spawn'; readonly kindId: number; readonly lanes: Float64Array }
  | { readonly tick: number; readonly kind: 'despawn'; readonly ref: number }
  | { readonly tick: number; readonly kind: 'drill'; readonly handlerThrowRate: number; readonly workerExitRate: number };

export class InputJournal {
  private entries: JournalEntry[] = [];
  /** Ticks below this re-execute from the journal instead of taking live input (after a rewind). */
  private replayUntil = -1;

  record(entry: JournalEntry): void {
    this.entries.push(entry);
  }

  /** Whether tick `tick` takes its inputs from the journal rather than from outside. */
  replaying(tick: number): boolean {
    return tick < this.replayUntil;
  }

  /** Inputs recorded for `tick`, in order. */
  at(tick: number): JournalEntry[] {
    return this.entries.filter((e) => e.tick === tick);
  }

  /** Inputs of ticks [from, to), in order (what a stored tick carries for replay from the one before). */
  between(from: number, to: number): JournalEntry[] {
    return this.entries.filter((e) => e.tick >= from && e.tick < to);
  }

  /** After a rewind from tick `from` to an earlier one: ticks before `from` replay their recorded inputs. */
  rewound(from: number): void {
    this.replayUntil = Math.max(this.replayUntil, from);
  }

  /** A new input at `tick` while replaying: the recorded future is abandoned from there on. */
  diverge(tick: number): void {
    if (tick >= this.replayUntil) return;
    this.entries = this.entries.filter((e) => e.tick < tick);
    this.replayUntil = -1;
  }

  /** Adds inputs read back from storage (replay from disk) in front of what is recorded. */
  load(entries: readonly JournalEntry[]): void {
    const known = new Set(this.entries.map((e) => e.tick));
    this.entries = [...entries.filter((e) => !known.has(e.tick)), ...this.entries].sort((a, b) => a.tick - b.tick);
  }

  /** Forgets inputs of ticks before `tick` (nothing retained or stored can replay them any more). */
  trimBefore(tick: number): void {
    if (this.entries.length > 0 && this.entries[0]!.tick < tick) this.entries = this.entries.filter((e) => e.tick >= tick);
  }

  get size(): number {
    return this.entries.length;
  }
}
