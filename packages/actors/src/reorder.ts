/**
 * Moving a kind's actors to new slots (`KindStore.reorder`): a gather, column by column, from the
 * pages as they are into fresh frames. Column by column rather than actor by actor: each pass
 * reads one source column and writes one target column, so when the order is close to the
 * current one (a spatial sort redone every few seconds, most actors moved a little) both streams
 * stay sequential.
 */
import { ActorError } from './errors.js';
import { ELEMENT_BYTES } from './fields.js';
import type { PageLayout } from './layout.js';

/** Where a page's bytes are (a `Page` fits). */
interface PagePlace {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
}

type Words = Int32Array | Uint16Array | Uint8Array;

/**
 * Throws `ACTOR_ORDER_INVALID` unless `order` lists every live slot of [0, highWater) exactly
 * once; `alive[slot]` (0: dead) says which are.
 */
export function checkOrder(order: Int32Array, highWater: number, live: number, alive: Uint8Array, owner: string): void {
  if (order.length !== live) throw new ActorError('ACTOR_ORDER_INVALID', `${owner}: reorder got ${order.length} slots for ${live} live actors`);
  const seen = new Uint8Array(highWater);
  for (let i = 0; i < order.length; i++) {
    const slot = order[i]!;
    if (!(slot >= 0 && slot < highWater) || seen[slot] === 1 || alive[slot] === 0) {
      const why = !(slot >= 0 && slot < highWater) ? `is not a slot below ${highWater}` : seen[slot] === 1 ? 'is listed twice' : 'holds no live actor';
      throw new ActorError('ACTOR_ORDER_INVALID', `${owner}: reorder's order[${i}] = ${slot} ${why}`);
    }
    seen[slot] = 1;
  }
}

/**
 * Writes actor `order[i]` of the `source` pages into slot i of the `target` pages (fresh frames),
 * every column and the hidden ones, bit for bit: 8-byte lanes move as pairs of int32 (a float64
 * load could canonicalise a NaN's payload, and the state hash reads the bits).
 */
export function gatherActors(layout: PageLayout, source: readonly PagePlace[], target: readonly PagePlace[], order: Int32Array): void {
  const units: { readonly byteOffset: number; readonly width: 1 | 2 | 4; readonly perActor: number }[] = layout.columns.map((c) => {
    const bytes = ELEMENT_BYTES[c.spec.element];
    return bytes >= 4 ? { byteOffset: c.byteOffset, width: 4, perActor: (c.spec.lanes * bytes) / 4 } : { byteOffset: c.byteOffset, width: bytes as 1 | 2, perActor: c.spec.lanes };
  });
  units.push({ byteOffset: layout.handleOffset, width: 4, perActor: 1 }, { byteOffset: layout.aliveOffset, width: 1, perActor: 1 }, { byteOffset: layout.generationOffset, width: 2, perActor: 1 });
  for (const unit of units) {
    const view = (page: PagePlace): Words => {
      const length = layout.pageSize * unit.perActor;
      const at = page.byteOffset + unit.byteOffset;
      return unit.width === 4 ? new Int32Array(page.buffer, at, length) : unit.width === 2 ? new Uint16Array(page.buffer, at, length) : new Uint8Array(page.buffer, at, length);
    };
    const from = source.map(view);
    const to = target.map(view);
    if (unit.width === 4) gather32(from as Int32Array[], to as Int32Array[], order, layout.pageSize, unit.perActor);
    else if (unit.width === 2) gather16(from as Uint16Array[], to as Uint16Array[], order, layout.pageSize);
    else gather8(from as Uint8Array[], to as Uint8Array[], order, layout.pageSize, unit.perActor);
  }
}

// One function per element type keeps each loop's loads and stores monomorphic.
function gather32(from: Int32Array[], to: Int32Array[], order: Int32Array, pageSize: number, per: number): void {
  const shift = Math.log2(pageSize), mask = pageSize - 1;
  for (let p = 0; p < to.length; p++) {
    const target = to[p]!;
    const end = Math.min(pageSize, order.length - p * pageSize);
    for (let o = 0; o < end; o++) {
      const slot = order[(p << shift) | o]!;
      const column = from[slot >>> shift]!;
      const at = (slot & mask) * per;
      for (let u = 0; u < per; u++) target[o * per + u] = column[at + u]!;
    }
  }
}

function gather16(from: Uint16Array[], to: Uint16Array[], order: Int32Array, pageSize: number): void {
  const shift = Math.log2(pageSize), mask = pageSize - 1;
  for (let p = 0; p < to.length; p++) {
    const target = to[p]!;
    const end = Math.min(pageSize, order.length - p * pageSize);
    for (let o = 0; o < end; o++) {
      const slot = order[(p << shift) | o]!;
      target[o] = from[slot >>> shift]![slot & mask]!;
    }
  }
}

function gather8(from: Uint8Array[], to: Uint8Array[], order: Int32Array, pageSize: number, per: number): void {
  const shift = Math.log2(pageSize), mask = pageSize - 1;
  for (let p = 0; p < to.length; p++) {
    const target = to[p]!;
    const end = Math.min(pageSize, order.length - p * pageSize);
    for (let o = 0; o < end; o++) {
      const slot = order[(p << shift) | o]!;
      const column = from[slot >>> shift]!;
      const at = (slot & mask) * per;
      for (let u = 0; u < per; u++) target[o * per + u] = column[at + u]!;
    }
  }
}
