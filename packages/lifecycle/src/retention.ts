/**
 * Which sealed ticks a timeline keeps: the newest `recent` ones, plus — further back — the newest
 * `keepEvery` ticks divisible by `every` (keyframes to rewind to coarsely). Count-based, so the
 * bound on memory is exact: at most `recent + keepEvery` snapshots.
 */
import { LifecycleError } from './errors.js';

/** A retention policy. All fields are integers. */
export interface RetentionPolicy {
  /** How many of the newest sealed ticks to keep (≥ 0). */
  readonly recent: number;
  /** Keyframe spacing: ticks divisible by `every` are keyframes (≥ 1). Needs `keepEvery`. */
  readonly every?: number;
  /** How many of the newest keyframes to keep, in or beyond the recent window (≥ 0; 0 without `every`). */
  readonly keepEvery?: number;
}

/**
 * A validated policy with defaults filled in: `every` is undefined and `keepEvery` 0 when there
 * are no keyframes. It is itself a valid {@link RetentionPolicy}.
 */
export interface NormalizedRetention extends RetentionPolicy {
  readonly every: number | undefined;
  readonly keepEvery: number;
}

/**
 * Validates `policy` and fills defaults.
 * @throws LifecycleError code `RETENTION_INVALID` naming the field and the value.
 */
export function normalizeRetention(policy: RetentionPolicy): NormalizedRetention {
  if (typeof policy !== 'object' || policy === null) invalid(`the policy must be an object, got ${String(policy)}`);
  const { recent, every, keepEvery } = policy;
  if (!isIntegerAtLeast(recent, 0)) invalid(`recent must be an integer ≥ 0, got ${String(recent)}`);
  if (every !== undefined && !isIntegerAtLeast(every, 1)) invalid(`every must be an integer ≥ 1, got ${String(every)}`);
  if (keepEvery !== undefined && !isIntegerAtLeast(keepEvery, 0)) invalid(`keepEvery must be an integer ≥ 0, got ${String(keepEvery)}`);
  if (every !== undefined && keepEvery === undefined) {
    // No default: "every 60th tick, forever" would make memory grow without bound.
    invalid(`every = ${every} needs keepEvery (how many of those ticks to keep)`);
  }
  if (every === undefined && keepEvery !== undefined && keepEvery > 0) {
    invalid(`keepEvery = ${keepEvery} needs every (which ticks are kept)`);
  }
  const keyframes = every !== undefined && keepEvery !== undefined && keepEvery > 0;
  return Object.freeze({ recent, every: keyframes ? every : undefined, keepEvery: keyframes ? keepEvery : 0 });
}

/**
 * The most snapshots a timeline with `policy` holds at once: `recent + keepEvery`. The engine
 * multiplies it by a snapshot's size to bound memory.
 * @throws LifecycleError code `RETENTION_INVALID`.
 */
export function describeRetention(policy: RetentionPolicy): number {
  const { recent, keepEvery } = normalizeRetention(policy);
  return recent + keepEvery;
}

function isIntegerAtLeast(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

function invalid(message: string): never {
  throw new LifecycleError('RETENTION_INVALID', `invalid retention policy: ${message}`);
}
