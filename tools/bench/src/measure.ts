/**
 * Timing of one function: calibrate how many operations make a sample long enough to time
 * reliably, warm up, then collect samples. Units are derived from elapsed time and op count.
 */

/** Units the harness derives from (elapsed time, operations). */
export type TimedUnit = 'ops/s' | 'ns/op' | 'µs/op' | 'ms/op';

/** A function under measurement: runs `ops` operations. A returned number is fed to the sink. */
export type Workload = (ops: number) => unknown;

/** Converts one sample into the case's unit. */
export function toUnit(unit: TimedUnit, elapsedNs: number, ops: number): number {
  switch (unit) {
    case 'ops/s':
      return ops / (elapsedNs / 1e9);
    case 'ns/op':
      return elapsedNs / ops;
    case 'µs/op':
      return elapsedNs / 1e3 / ops;
    case 'ms/op':
      return elapsedNs / 1e6 / ops;
  }
}

/** Times one call of `work(ops)` in nanoseconds. */
export function timeOnce(work: Workload, ops: number, onResult: (value: unknown) => void): number {
  const start = process.hrtime.bigint();
  const result = work(ops);
  const elapsed = Number(process.hrtime.bigint() - start);
  onResult(result);
  return Math.max(elapsed, 1);
}

/**
 * Finds an op count whose sample takes about `targetMs`, doubling from 1. The calibration runs
 * double as warm-up, so by the time samples are taken V8 has optimised the workload.
 */
export function calibrate(work: Workload, targetMs: number, maxOps: number, onResult: (value: unknown) => void): number {
  let ops = 1;
  for (;;) {
    const elapsedMs = timeOnce(work, ops, onResult) / 1e6;
    if (elapsedMs >= targetMs || ops >= maxOps) return ops;
    const scale = elapsedMs > 0 ? Math.min(16, Math.max(2, targetMs / elapsedMs)) : 16;
    ops = Math.min(maxOps, Math.ceil(ops * scale));
  }
}
