/**
 * Backoff delays and the seeded jitter behind them. Jitter is a pure hash of its inputs, not a
 * stateful PRNG, so a decision depends only on (seed, actor, time, attempt): replaying the same
 * failures gives the same delays whatever else happened in between.
 */
import type { BackoffPolicy } from './policy.js';

/** Exponents stop growing here: min·2³² exceeds any delay a Uint32 tick can express. */
export const MAX_EXPONENT = 32;

/** A 32-bit avalanche mix (murmur3's finaliser). */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A float in [0, 1) determined by the four integers. */
export function jitterUnit(seed: number, a: number, b: number, c: number): number {
  let h = fmix((seed ^ 0x9e3779b9) >>> 0);
  h = fmix((h ^ a) >>> 0);
  h = fmix((h + Math.imul(b, 0x27d4eb2f)) >>> 0);
  h = fmix((h ^ Math.imul(c, 0x165667b1)) >>> 0);
  return h / 4294967296;
}

/**
 * Delay before the restart numbered `exponent` (0 for the first of a run), in whole clock units.
 * `unit` ∈ [0, 1) is the jitter draw; it is ignored unless the policy has jitter.
 */
export function backoffDelay(policy: BackoffPolicy, exponent: number, unit: number): number {
  switch (policy.kind) {
    case 'none':
      return 0;
    case 'fixed':
      return policy.delay;
    case 'exponential':
      // Akka: maxBackoff.min(minBackoff * 2^restartCount) * (1 + random * randomFactor).
      return Math.floor(Math.min(policy.max, policy.min * 2 ** exponent) * (1 + policy.jitter * unit));
  }
}
