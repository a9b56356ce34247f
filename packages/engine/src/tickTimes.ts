/** The last N tick durations, for p50/p99 without keeping every tick. */
export class TickTimes {
  private readonly ring: Float64Array;
  private count = 0;

  constructor(size = 1024) {
    this.ring = new Float64Array(size);
  }

  add(ms: number): void {
    this.ring[this.count++ % this.ring.length] = ms;
  }

  get last(): number {
    return this.count === 0 ? 0 : this.ring[(this.count - 1) % this.ring.length]!;
  }

  /** Percentile p in [0, 100] of the retained window (0 when empty). */
  percentile(p: number): number {
    const n = Math.min(this.count, this.ring.length);
    if (n === 0) return 0;
    const sorted = Array.from(this.ring.subarray(0, n)).sort((a, b) => a - b);
    return sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  }

  reset(): void {
    this.count = 0;
  }
}
