/**
 * Messages waiting for the next tick: copied from the outboxes at the boundary in (job, sender,
 * sequence) order, delivered at the start of the next tick by priority tier (critical first),
 * in arrival order within a tier.
 */
import { PRIORITIES } from './protocol.js';

/** SEND record lanes before the payload: op, length, typeId, from, to, priority. */
export const SEND_HEADER = 6;

/** The waiting messages at a tick boundary (part of a sealed tick). */
export interface MailboxSeal {
  readonly lanes: Float64Array;
  readonly count: number;
  readonly depth: readonly number[];
}

export class Mailbox {
  private lanes = new Float64Array(4096);
  private spare = new Float64Array(4096);
  private used = 0;
  count = 0;
  /** Waiting messages per tier (critical, high, normal, low), for telemetry. */
  readonly depth = [0, 0, 0, 0];

  /** Copies a SEND record. */
  push(source: Float64Array, at: number, length: number): void {
    if (this.used + length > this.lanes.length) {
      const grown = new Float64Array(Math.max(this.lanes.length * 2, this.used + length));
      grown.set(this.lanes.subarray(0, this.used));
      this.lanes = grown;
    }
    const lanes = this.lanes;
    const base = this.used - at;
    for (let i = at; i < at + length; i++) lanes[base + i] = source[i]!; // no subarray view per message
    this.used += length;
    this.count++;
    this.depth[source[at + 5]!]!++;
  }

  /**
   * Takes every waiting message out and visits them tier by tier: `visit(lanes, at)` sees a SEND
   * record. Messages sent while visiting wait for the tick after.
   */
  drain(visit: (lanes: Float64Array, at: number) => void): number {
    if (this.count === 0) return 0;
    const lanes = this.lanes;
    const used = this.used;
    const count = this.count;
    const perTier = [...this.depth];
    // Two buffers take turns: the drained one is reused at the next drain (no allocation per tick).
    this.lanes = this.spare;
    this.spare = lanes;
    this.used = 0;
    this.count = 0;
    this.depth.fill(0);
    for (let tier = 0; tier < PRIORITIES.length; tier++) {
      if (perTier[tier] === 0) continue;
      for (let at = 0; at < used; at += lanes[at + 1]!) if (lanes[at + 5] === tier) visit(lanes, at);
    }
    return count;
  }

  /** A copy of the waiting messages: O(messages), independent of the number of actors. */
  seal(): MailboxSeal {
    return Object.freeze({ lanes: this.lanes.slice(0, this.used), count: this.count, depth: Object.freeze([...this.depth]) });
  }

  /** Puts sealed messages back in place of the waiting ones. */
  restore(seal: MailboxSeal): void {
    this.lanes = new Float64Array(Math.max(4096, seal.lanes.length));
    this.lanes.set(seal.lanes);
    this.used = seal.lanes.length;
    this.count = seal.count;
    seal.depth.forEach((n, tier) => (this.depth[tier] = n));
  }
}
