/**
 * Tick durations: the last N (recent p50/p99) and, for the whole run, a histogram of 0.05 ms
 * buckets up to 2 s plus the exact maximum — a 60-minute run's p99 without keeping every tick.
 */
const BUCKET_MS = 0.05;
const BUCKETS = 40_000;

export class TickTimes {
  private readonly ring: Float64Array;
  private count = 0;
  private readonly histogram = new Uint32Array(BUCKETS + 1);
  private maxMs = 0;
  /** Ticks that took longer than `longMs`, counted exactly. */
  private long = 0;

  /** `longMs`: what counts as a long tick (the engine: two tick periods). */
  constructor(
    size = 1024,
    private readonly longMs = Infinity,
  ) {
    this.ring = new Float64Array(size);
  }

  add(ms: number): void {
    this.ring[this.count++ % this.ring.length] = ms;
    this.histogram[Math.min(BUCKETS, Math.floor(Math.max(0, ms) / BUCKET_MS))]!++;
    if (ms > this.maxMs) this.maxMs = ms;
    if (ms > this.longMs) this.long++;
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

  /** Every tick since the start: p50 and p99 (to the upper edge of a 0.05 ms bucket, at most the max), the max, the count, and how many were long. */
  sinceStart(): { readonly p50: number; readonly p99: number; readonly max: number; readonly ticks: number; readonly long: number } {
    return { p50: this.histogramPercentile(50), p99: this.histogramPercentile(99), max: this.maxMs, ticks: this.count, long: this.long };
  }

  private histogramPercentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let b = 0; b <= BUCKETS; b++) {
      seen += this.histogram[b]!;
      if (seen >= rank) return Math.min(this.maxMs, (b + 1) * BUCKET_MS);
    }
    return this.maxMs;
  }

  reset(): void {
    this.count = 0;
    this.histogram.fill(0);
    this.maxMs = 0;
    this.long = 0;
  }
}
