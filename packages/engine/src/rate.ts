import { EngineError } from './errors.js';

/** A fixed tick rate. */
export interface TickRate {
  readonly hz: number;
  /** Seconds per tick: what `ctx.delta()` returns. */
  readonly delta: number;
  /** Milliseconds per tick: the loop's budget. */
  readonly periodMs: number;
}

/** `hz(60)`: sixty ticks per second. Throws `ENGINE_INVALID_ARGUMENT` unless 0 < rate ≤ 100 kHz. */
export function hz(rate: number): TickRate {
  if (!(Number.isFinite(rate) && rate > 0 && rate <= 100_000)) {
    throw new EngineError('ENGINE_INVALID_ARGUMENT', `tick rate must be a number of Hz in (0, 100000]; got ${String(rate)}`);
  }
  return Object.freeze({ hz: rate, delta: 1 / rate, periodMs: 1000 / rate });
}
