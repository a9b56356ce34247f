/**
 * Messages on their way to the next tick's jobs. At the start of a tick the main thread routes
 * the waiting messages (actors' sends of the last tick and outside input) into growable shared
 * buffers grouped by recipient page — critical before high before normal before low, arrival
 * order within a tier — and each job delivers the messages of its own pages, in its own thread,
 * before running their tick handlers. Delivery thus runs on every core and in the same order
 * whatever thread runs which page. A message to an actor that is gone by then is a dead letter,
 * counted by the thread that finds out.
 *
 * Index layout (Int32): [kinds K, base_0 … base_{K−1}, pages G, start_0 … start_G], where page p of
 * kind k is global page base_k + p and start_g is the first lane of its messages in `records`.
 */
import { refKind, type ActorRef } from '@concurrengine/actors';

import type { Mailbox } from './mailbox.js';
import { ensureBytes, growableBuffer } from './sharedGrowth.js';
import type { World } from './world.js';

export interface DeliveryBuffers {
  readonly records: SharedArrayBuffer;
  readonly index: SharedArrayBuffer;
}

export function allocateDeliveries(): DeliveryBuffers {
  return { records: growableBuffer(), index: growableBuffer(64) };
}

/** Reads the lanes of one job's messages (any thread). */
export class DeliveryReader {
  records: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private index: Int32Array<ArrayBufferLike> = new Int32Array(0);

  constructor(private readonly buffers: DeliveryBuffers) {}

  /** [start, end) lanes of the messages to pages [first, end) of `kindId`; refreshes the views. */
  range(kindId: number, first: number, end: number, out: [number, number]): void {
    if (this.records.byteLength !== this.buffers.records.byteLength) this.records = new Float64Array(this.buffers.records);
    if (this.index.byteLength !== this.buffers.index.byteLength) this.index = new Int32Array(this.buffers.index);
    const ix = this.index;
    const kinds = ix[0]!;
    if (kindId >= kinds) {
      out[0] = out[1] = 0;
      return;
    }
    const starts = kinds + 2;
    const base = ix[1 + kindId]!;
    out[0] = ix[starts + base + first]!;
    out[1] = ix[starts + base + end]!;
  }
}

/** Routes the mailbox into the shared buffers (main thread, between ticks). */
export class DeliveryWriter {
  private keys = new Int32Array(1024);
  private offsets = new Int32Array(1024);

  constructor(private readonly buffers: DeliveryBuffers) {}

  /** Empties the mailbox into per-page order; messages to actors that are gone count as dead letters. */
  route(mailbox: Mailbox, world: World): void {
    const stores = world.stores;
    const kinds = stores.length;
    let pages = 0;
    const bases = stores.map((s) => ((pages += s.usedPages), pages - s.usedPages));
    const starts = kinds + 2;
    ensureBytes(this.buffers.index, (starts + pages + 1) * 4);
    const index = new Int32Array(this.buffers.index);
    index[0] = kinds;
    bases.forEach((b, k) => (index[1 + k] = b));
    index[kinds + 1] = pages;
    index.fill(0, starts, starts + pages + 1);

    // Pass 1: in delivery order (by tier, then arrival), the recipient's global page. Whether a
    // recipient with a slot is alive (not suspended) is checked where it is delivered (in
    // parallel); refs of no known kind and stale refs (no slot) are dead letters here.
    let n = 0;
    let lanes: Float64Array<ArrayBufferLike> = new Float64Array(0);
    const pageSizes = stores.map((s) => s.layout.pageSize);
    mailbox.drain((source, at) => {
      lanes = source;
      const to = source[at + 4]!;
      const kind = refKind(to as ActorRef);
      if (kind >= kinds || !(to >= 0)) {
        world.deadLetters++;
        return;
      }
      // The recipient's page now (actors move when a store reorders). A stale ref has none: it
      // cannot go with page 0 either, which a kind that a sort compacted to no actors lacks.
      const slot = stores[kind]!.slotOf(to as ActorRef);
      if (slot < 0) {
        world.deadLetters++;
        return;
      }
      if (n === this.keys.length) this.growScratch();
      this.keys[n] = bases[kind]! + Math.floor(slot / pageSizes[kind]!);
      this.offsets[n++] = at;
    });
    // Pass 2: lanes per page, then where each page's messages start (a stable counting sort).
    for (let i = 0; i < n; i++) index[starts + this.keys[i]! + 1]! += lanes[this.offsets[i]! + 1]!;
    for (let g = 0; g < pages; g++) index[starts + g + 1]! += index[starts + g]!;
    const total = index[starts + pages]!;
    ensureBytes(this.buffers.records, total * 8);
    const records = new Float64Array(this.buffers.records, 0, total);
    const fill = index.slice(starts, starts + pages);
    for (let i = 0; i < n; i++) {
      const at = this.offsets[i]!;
      const length = lanes[at + 1]!;
      let to = fill[this.keys[i]!]!;
      fill[this.keys[i]!] = to + length;
      for (let lane = at; lane < at + length; lane++) records[to++] = lanes[lane]!;
    }
  }

  private growScratch(): void {
    const keys = new Int32Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const offsets = new Int32Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    this.offsets = offsets;
  }
}
