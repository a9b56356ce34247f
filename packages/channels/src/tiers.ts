/**
 * Priority tiers. Index 0 is the critical lane (not a queue in the guard's sense); 1..3 are the
 * guarded tiers, higher priority first.
 */
import { ChannelError } from './errors.js';

/** A message's priority. `critical` takes the fast lane; the others are queued tiers. */
export type Tier = 'critical' | 'high' | 'normal' | 'low';

/** Tier names by index (the index is what shared memory and the stats layout use). */
export const TIERS: readonly Tier[] = ['critical', 'high', 'normal', 'low'];

/** Number of tiers, the critical lane included. */
export const TIER_COUNT = 4;

export const CRITICAL = 0;
export const HIGH = 1;
export const NORMAL = 2;
export const LOW = 3;

/** Index of `tier`; `undefined` means `normal`. Throws on anything else (a broken contract). */
export function tierIndex(tier: Tier | undefined): number {
  switch (tier) {
    case undefined:
    case 'normal':
      return NORMAL;
    case 'high':
      return HIGH;
    case 'low':
      return LOW;
    case 'critical':
      return CRITICAL;
    default:
      throw new ChannelError('CHANNEL_INVALID_OPTION', `unknown tier ${JSON.stringify(tier)}; expected one of ${TIERS.join(', ')}`);
  }
}
