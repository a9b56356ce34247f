/** Summary statistics of one benchmark's samples. */
export interface SampleStats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly sd: number;
  readonly samples: number;
}

/** Median, min, max, mean and standard deviation of `values` (which must not be empty). */
export function summarize(values: readonly number[]): SampleStats {
  if (values.length === 0) throw new RangeError('summarize() needs at least one sample');
  const sorted = [...values].sort((x, y) => x - y);
  const n = sorted.length;
  const mid = n >> 1;
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = sorted.reduce((acc, v) => acc + v, 0) / n;
  const variance = n > 1 ? sorted.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { median, min: sorted[0]!, max: sorted[n - 1]!, mean, sd: Math.sqrt(variance), samples: n };
}

/** Percentile `p` in [0, 100] by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile() needs at least one sample');
  const sorted = [...values].sort((x, y) => x - y);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
