/**
 * The main thread's side of the actors' messages. Handlers' sends are written and routed by the
 * jobs (engineThread.ts) into the tick plane; this side only opens and closes each tick's parity,
 * adds outside input, keeps the routes right when a sort moved actors between pages, and copies
 * the messages in flight out for a seal (and back in on a restore).
 *
 * Tick T's sends are in parity T % 2 and are delivered in tick T + 1, by tier (critical first),
 * then in the order they were sent (jobs in order, so thread count does not matter), then outside
 * input in arrival order.
 */
import { TickPlane, type TickPlaneBuffers } from '@concurrengine/channels';

import { OWN_LANE, pageGroups, recipientPage, recipientPageInKind } from './messageRouting.js';
import type { World } from './world.js';

/** The messages in flight at a tick boundary (part of a sealed tick): SEND records back to back. */
export interface MailboxSeal {
  readonly lanes: Float64Array;
  readonly count: number;
  readonly depth: readonly number[];
}

export class MessagePlane {
  private readonly plane: TickPlane;
  private groups: Int32Array<ArrayBufferLike> = new Int32Array(1);
  /** The parity holding the messages the next tick delivers. */
  private waiting = 1;
  /** A restored seal, routed when the next tick starts (after the world it belongs to is in place). */
  private restored: MailboxSeal | undefined;
  private readonly outside: Float64Array[] = [];
  private readonly depth_ = [0, 0, 0, 0];

  constructor(
    readonly buffers: TickPlaneBuffers,
    private readonly world: World,
  ) {
    this.plane = new TickPlane(buffers, OWN_LANE);
  }

  /**
   * Before tick `tick`'s jobs: opens its parity for their sends and makes the waiting messages'
   * routes current (a restore, actors moved by a sort). Returns the dead letters found routing them
   * (outside input to stale refs; messages whose recipient went away since they were routed).
   */
  beginTick(tick: number): number {
    const incoming = (tick + 1) & 1;
    this.waiting = incoming;
    this.plane.open(tick & 1);
    const stores = this.world.stores;
    this.groups = pageGroups(stores, this.groups.length === stores.length + 1 ? this.groups : undefined);
    const partitionOf = recipientPage(stores, this.groups);
    const moves = stores.map((store) => store.moves.take());
    let dead = 0;
    if (this.restored) {
      dead += this.plane.replace(incoming, this.restored.lanes, this.groups, partitionOf);
      this.restored = undefined;
    } else if (moves.some((moved) => moved !== undefined)) {
      // A sort step moved a window of pages: only the routes into them change (pages within the
      // kind: pages of kinds before it may have been added since the sends were routed). Anything
      // else (a whole sort: actors may land on pages a route did not know) routes them again.
      const pageInKind = recipientPageInKind(stores);
      const rekeyed = moves.every((moved, kind) => !moved || this.plane.moved(incoming, kind, moved.first, moved.end, pageInKind));
      if (!rekeyed) dead += this.plane.reroute(incoming, this.groups, partitionOf);
    }
    if (this.outside.length > 0) {
      const lanes = this.outside.length === 1 ? this.outside[0]! : concat(this.outside);
      this.outside.length = 0;
      dead += this.plane.append(incoming, lanes, this.groups, partitionOf);
    }
    return dead;
  }

  /** A message from outside (a whole SEND record), delivered in the next tick after the actors' own. */
  pushOutside(lanes: Float64Array): void {
    this.outside.push(lanes);
  }

  /** After tick `tick`'s jobs (`jobs` of them, segment = job id): its sends wait for the next tick. */
  endTick(tick: number, jobs: number): void {
    this.plane.close(tick & 1, jobs);
    this.waiting = tick & 1;
  }

  /** Waiting messages per tier (critical, high, normal, low). */
  get depth(): readonly number[] {
    if (this.restored) return this.restored.depth;
    return this.plane.tierCounts(this.waiting, this.depth_);
  }

  /**
   * A copy of the waiting messages (dead letters already counted left out), in the order they were
   * sent — routing them again gives the same delivery order: O(messages), a memcpy per job.
   */
  seal(): MailboxSeal {
    if (this.restored) return this.restored;
    const lanes = this.plane.gather(this.waiting);
    const depth = Object.freeze([...this.plane.tierCounts(this.waiting)]);
    return Object.freeze({ lanes, count: depth.reduce((a, b) => a + b, 0), depth });
  }

  /** Puts sealed messages back in place of the waiting ones (routed when the next tick begins). */
  restore(seal: MailboxSeal): void {
    this.restored = seal;
    this.outside.length = 0;
  }
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
