/**
 * The starvation guard, shared by both implementations: which guarded tier (high, normal, low)
 * the receiver takes from next, and for how many messages in a row.
 *
 * Rule: the highest non-empty tier is served, except that a non-empty lower tier that has been
 * passed over `limit` times is served next (the most passed-over first; ties go to the lower
 * tier). Runs are capped at `limit`, so a tier that becomes non-empty during a run waits at most
 * for the end of that run. Bound: a tier that is non-empty is served at least once in every
 * `2 × limit + 2` receipts (and once in every `limit + 2` while the set of non-empty tiers is
 * steady). The critical lane is outside the guard: it is always read first.
 *
 * Owned by the receiver's thread; not shared.
 */
import { HIGH, LOW } from './tiers.js';

export class TierPicker {
  /** Receipts from other tiers since each tier was last served while non-empty. */
  private readonly skipped = new Int32Array(LOW + 1);
  /** The tier chosen by the last `plan`. */
  tier = 0;
  /** Whether the last plan was a starvation promotion. */
  promoted = false;

  constructor(private readonly limit: number) {}

  /**
   * Chooses the next tier from `depth` (indexed by tier) and returns how many messages to take
   * from it in a row (at most `max`), or 0 when every guarded tier is empty. Records the run as
   * taken: call it only when that many messages will be received.
   */
  plan(depth: Int32Array, max: number): number {
    const skipped = this.skipped;
    let top = 0;
    for (let t = HIGH; t <= LOW; t++) {
      if (depth[t]! > 0) {
        top = t;
        break;
      }
    }
    if (top === 0 || max <= 0) return 0;
    let run = Math.min(max, depth[top]!, this.limit);
    let starved = 0;
    let most = -1;
    for (let u = top + 1; u <= LOW; u++) {
      if (depth[u]! <= 0) {
        skipped[u] = 0;
        continue;
      }
      const s = skipped[u]!;
      if (s >= this.limit && s >= most) {
        starved = u;
        most = s;
      }
      if (this.limit - s < run) run = this.limit - s;
    }
    const tier = starved !== 0 ? starved : top;
    if (starved !== 0) run = 1;
    this.tier = tier;
    this.promoted = starved !== 0;
    skipped[tier] = 0;
    for (let u = top; u <= LOW; u++) if (u !== tier && depth[u]! > 0) skipped[u] = skipped[u]! + run;
    return run;
  }
}
