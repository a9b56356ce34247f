/**
 * Reading a channel's counters. Both implementations keep them in the control block of
 * `layout.ts`, so this works on any channel's `statsBuffer`, from any thread, at any time.
 * Values read while senders run are a consistent-enough snapshot: each word is read atomically,
 * the set is not.
 */
import {
  S_BLOCKED,
  S_CLOSED,
  S_CRITICAL_DIRECT,
  S_DROPPED_NEWEST,
  S_DROPPED_OLDEST,
  S_PROMOTIONS,
  S_REJECTED,
  POS_MASK,
  headIndex,
  posDiff,
  tailIndex,
} from './layout.js';
import { TIERS, type Tier } from './tiers.js';

/** A snapshot of a channel's pressure. */
export interface ChannelStats {
  /** Messages queued per tier (a cross-thread send in progress counts once it reserved its slot). */
  readonly depth: Readonly<Record<Tier, number>>;
  /** Senders currently waiting in `send` for capacity (not included in `depth`). */
  readonly blockedSenders: number;
  /** Messages refused by `drop-newest` and evicted by `drop-oldest`. */
  readonly dropped: { readonly newest: number; readonly oldest: number };
  /** Sends refused as full under the `error` strategy. */
  readonly rejected: number;
  /** Critical messages handed straight to the registered handler. */
  readonly criticalDirect: number;
  /** Receipts the starvation guard took from a lower tier ahead of a higher one. */
  readonly starvationPromotions: number;
  /** Whether `close()` was called (queued messages may remain). */
  readonly closed: boolean;
}

/** Reads the counters of a channel from its `statsBuffer` (or the control block view). */
export function readChannelStats(buffer: SharedArrayBuffer | Int32Array): ChannelStats {
  const view = buffer instanceof Int32Array ? buffer : new Int32Array(buffer, 0, S_CLOSED + 1);
  const depthOf = (t: number): number => {
    const tail = Atomics.load(view, tailIndex(t)) & POS_MASK;
    return Math.max(0, posDiff(tail, Atomics.load(view, headIndex(t))));
  };
  const depth = {} as Record<Tier, number>;
  TIERS.forEach((tier, t) => (depth[tier] = depthOf(t)));
  return {
    depth,
    blockedSenders: Atomics.load(view, S_BLOCKED),
    dropped: { newest: Atomics.load(view, S_DROPPED_NEWEST), oldest: Atomics.load(view, S_DROPPED_OLDEST) },
    rejected: Atomics.load(view, S_REJECTED),
    criticalDirect: Atomics.load(view, S_CRITICAL_DIRECT),
    starvationPromotions: Atomics.load(view, S_PROMOTIONS),
    closed: Atomics.load(view, S_CLOSED) !== 0,
  };
}
