/**
 * A result sink: benchmarks feed what they compute into it so V8 cannot drop the work as dead
 * code. The running value is printed at the end of a run, which makes the dependency observable.
 */
let accumulated = 0;

/** Folds a value into the sink. Objects count by identity (their presence), numbers by value. */
export function sink(value: unknown): void {
  if (typeof value === 'number') accumulated = (accumulated + value) % 1e9;
  else if (value !== undefined && value !== null) accumulated = (accumulated + 1) % 1e9;
}

/** The sink's current value (printed by the runner). */
export function sinkValue(): number {
  return accumulated;
}
