/**
 * Fixed-step pacing. Tick k is due at start + k·period. A tick that ends after the next one was
 * due is an overrun: it is counted, and the next tick starts at once. The loop never runs a burst
 * of ticks to catch up: when it falls more than one period behind, the schedule re-anchors to
 * now, so a slow patch costs ticks (counted) instead of spiralling.
 */

/** Where the loop gets time from (swap in a manual clock in tests). */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class Pacer {
  private anchor = 0;
  private k = 0;
  overruns = 0;
  /** Ticks skipped by re-anchoring. */
  skipped = 0;

  constructor(
    private readonly clock: Clock,
    private readonly periodMs: number,
  ) {}

  start(): void {
    this.anchor = this.clock.now();
    this.k = 0;
  }

  /** Call after each tick: waits until the next tick is due, or counts an overrun. */
  async next(): Promise<void> {
    this.k++;
    const due = this.anchor + this.k * this.periodMs;
    const now = this.clock.now();
    if (now <= due) {
      // setTimeout sleeps in whole milliseconds and may oversleep by ~1 ms: sleep short, then yield.
      const wait = due - now;
      if (wait >= 2) await this.clock.sleep(Math.floor(wait - 1));
      return;
    }
    this.overruns++;
    const behind = Math.floor((now - due) / this.periodMs);
    if (behind >= 1) {
      this.skipped += behind;
      this.anchor = now - this.k * this.periodMs;
    }
  }
}
