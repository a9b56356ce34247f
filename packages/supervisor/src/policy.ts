/**
 * Restart policies shared by the trees and the actor groups, and their validation. Every
 * validator throws `SupervisorError('SUPERVISOR_INVALID_POLICY')` naming the field and the value.
 */
import { show, SupervisorError } from './errors.js';

/**
 * When a child is restarted (OTP): `permanent` always, `transient` only after an abnormal exit
 * (an `Error`), `temporary` never.
 */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/**
 * Delay before a restart, in clock units (ms for trees, ticks for actor groups).
 * `exponential` follows Akka's BackoffSupervisor: the n-th consecutive restart (n from 0) waits
 * `floor(min(max, min·2ⁿ) · (1 + jitter·r))`, r ∈ [0, 1) from a seeded hash — so jitter may add up
 * to `jitter·max` on top of `max`, as in Akka — and n returns to 0 once the child has run
 * `resetAfter` units since its last restart without failing.
 */
export type BackoffPolicy =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed'; readonly delay: number }
  | {
      readonly kind: 'exponential';
      readonly min: number;
      readonly max: number;
      /** Random factor in [0, 1] (Akka's `randomFactor`). */
      readonly jitter: number;
      /** Run time without failure that resets the exponent; `Infinity` never resets. */
      readonly resetAfter: number;
    };

/** More than `maxRestarts` restarts within `within` clock units gives up and escalates. */
export interface Intensity {
  readonly maxRestarts: number;
  readonly within: number;
}

const RESTART_TYPES: readonly string[] = ['permanent', 'transient', 'temporary'];

function invalid(message: string): SupervisorError {
  return new SupervisorError('SUPERVISOR_INVALID_POLICY', message);
}

/** A non-negative integer (delays and windows are whole clock units). */
function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** @throws SupervisorError `SUPERVISOR_INVALID_POLICY` unless `value` is a {@link RestartType}. */
export function checkRestartType(value: unknown, where: string, code: 'SUPERVISOR_INVALID_POLICY' | 'SUPERVISOR_INVALID_SPEC' = 'SUPERVISOR_INVALID_POLICY'): RestartType {
  if (typeof value === 'string' && RESTART_TYPES.includes(value)) return value as RestartType;
  throw new SupervisorError(code, `${where}: restart must be "permanent", "transient" or "temporary", got ${show(value)}`);
}

/** @throws SupervisorError `SUPERVISOR_INVALID_POLICY` for a malformed backoff. */
export function checkBackoff(b: unknown, where: string): BackoffPolicy {
  if (typeof b !== 'object' || b === null) throw invalid(`${where}: backoff must be an object with a kind, got ${show(b)}`);
  const p = b as Record<string, unknown>;
  switch (p.kind) {
    case 'none':
      return { kind: 'none' };
    case 'fixed':
      if (!isCount(p.delay)) throw invalid(`${where}: backoff.delay must be a non-negative integer, got ${show(p.delay)}`);
      return { kind: 'fixed', delay: p.delay };
    case 'exponential': {
      const { min, max, jitter, resetAfter } = p;
      if (!isCount(min)) throw invalid(`${where}: backoff.min must be a non-negative integer, got ${show(min)}`);
      if (!isCount(max)) throw invalid(`${where}: backoff.max must be a non-negative integer, got ${show(max)}`);
      if (min > max) throw invalid(`${where}: backoff.min (${min}) must not exceed backoff.max (${max})`);
      if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
        throw invalid(`${where}: backoff.jitter must be a number from 0 to 1, got ${show(jitter)}`);
      }
      if (!(isCount(resetAfter) || resetAfter === Infinity)) {
        throw invalid(`${where}: backoff.resetAfter must be a non-negative integer or Infinity, got ${show(resetAfter)}`);
      }
      return { kind: 'exponential', min, max, jitter, resetAfter };
    }
    default:
      throw invalid(`${where}: backoff.kind must be "none", "fixed" or "exponential", got ${show(p.kind)}`);
  }
}

/** @throws SupervisorError `SUPERVISOR_INVALID_POLICY` for a malformed intensity. */
export function checkIntensity(maxRestarts: unknown, within: unknown, where: string, withinName = 'within'): void {
  if (!isCount(maxRestarts)) throw invalid(`${where}: maxRestarts must be a non-negative integer, got ${show(maxRestarts)}`);
  if (!(isCount(within) && within > 0)) throw invalid(`${where}: ${withinName} must be a positive integer, got ${show(within)}`);
}
