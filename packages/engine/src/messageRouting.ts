/**
 * How the engine addresses the tick plane (`@concurrengine/channels`): a message's partition is
 * its recipient's page — a group of partitions per actor kind, one per used page — so the job that
 * runs a page delivers that page's messages. The same function routes in every thread.
 *
 * Messages are SEND records: [OP_SEND, length, typeId, from, to, tier, …payload].
 */
import { refKind, type ActorRef, type KindStore } from '@concurrengine/actors';
import { createTickPlane, type PartitionOf, type TickPlaneBuffers } from '@concurrengine/channels';

import { OUTBOXES } from './protocol.js';

/** SEND record lanes before the payload: op, length, typeId, from, to, priority. */
export const SEND_HEADER = 6;
const LENGTH_LANE = 1;
const TO_LANE = 4;
const TIER_LANE = 5;

/** The plane's lanes: one per thread slot (the outbox index), then the main thread's own (outside input, restores). */
export const OWN_LANE = OUTBOXES;

export function allocateMessagePlane(): TickPlaneBuffers {
  return createTickPlane({ lanes: OUTBOXES + 1, lengthLane: LENGTH_LANE, tierLane: TIER_LANE });
}

/** Partition groups as the stores are now: group k = kind k's used pages. */
export function pageGroups(stores: readonly (KindStore | undefined)[], out: Int32Array = new Int32Array(stores.length + 1)): Int32Array {
  out[0] = 0;
  for (let k = 0; k < stores.length; k++) out[k + 1] = out[k]! + (stores[k]?.usedPages ?? 0);
  return out;
}

/**
 * A record's recipient's page within its kind, or -1 for a ref of no known kind or a handle that is
 * free (a dead letter). Only the handle map is read: whether the actor in that slot is still the
 * ref's (generation) and alive, not suspended, is checked where it is delivered — so a message
 * is counted as a dead letter once, by whichever finds it gone.
 */
export function recipientPageInKind(stores: readonly (KindStore | undefined)[]): PartitionOf {
  return (records, at) => {
    const to = records[at + TO_LANE]!;
    if (!(to >= 0)) return -1;
    const store = stores[refKind(to as ActorRef)];
    if (!store) return -1;
    const slot = store.placeOf(to as ActorRef);
    return slot < 0 ? -1 : Math.floor(slot / store.layout.pageSize);
  };
}

/** A record's partition: its recipient's page numbered across kinds by `groups` (see `pageGroups`), or -1. */
export function recipientPage(stores: readonly (KindStore | undefined)[], groups: Int32Array): PartitionOf {
  const pageInKind = recipientPageInKind(stores);
  return (records, at) => {
    const page = pageInKind(records, at);
    return page < 0 ? -1 : groups[refKind(records[at + TO_LANE]! as ActorRef)]! + page;
  };
}
