/**
 * Keeping a kind's actors sorted in space. At the first boundary (and when the world box is
 * derived again) the octree strategy moves each indexed kind's live actors into the Morton
 * (Z-order) order of their positions (`KindStore.reorder`; refs stay valid, they name handles);
 * from then on, every `reorderEvery` ticks it sorts one window of a few pages in place
 * (`KindStore.reorderWithin`), sweeping the pages back and forth, so that the order follows the
 * actors as they move with a bounded amount of work per boundary and no stop-the-world sort. Then the actors of one octree leaf
 * sit in consecutive slots: a job — a run of whole pages — covers a run of neighbouring leaves,
 * the index's per-tick pass reads positions almost in order, and a handler's neighbours are
 * mostly in the pages its job already has in cache.
 *
 * The order is a function of the positions and the current slots only (not of the tree's
 * history), and it runs at fixed ticks before the boundary's seal: a rewind or a replay from disk
 * moves the same actors to the same slots, so the state hash stays the same for any thread count.
 */
import type { KindStore } from '@concurrengine/actors';
import { mortonOrder, mortonScratchLength, type Vec3Tuple } from '@concurrengine/octree';

/** Scratch reused from one sort to the next (grown as the world grows). */
export class SpatialSortScratch {
  positions = new Float64Array(0);
  slots = new Int32Array(0);
  order = new Int32Array(0);
  work = new Int32Array(0);

  size(highWater: number, live: number): void {
    if (this.positions.length < highWater * 3) this.positions = new Float64Array(highWater * 3);
    if (this.slots.length < live) {
      this.slots = new Int32Array(live);
      this.order = new Int32Array(live);
    }
    if (this.work.length < mortonScratchLength(live)) this.work = new Int32Array(mortonScratchLength(live));
  }
}

type Box = { readonly min: Vec3Tuple; readonly max: Vec3Tuple };

/**
 * The Morton order of the live actors (suspended ones too) of pages [firstPage, endPage), ties in
 * slot order: `slots`, their slots ascending, and `order`, the slot of each in Morton order
 * (views of the scratch, valid until the next sort).
 */
function mortonOrderOfPages(store: KindStore, column: number, bounds: Box, scratch: SpatialSortScratch, firstPage: number, endPage: number): { slots: Int32Array; order: Int32Array } {
  const pageSize = store.layout.pageSize;
  const highWater = store.highWater;
  scratch.size(highWater, Math.min(store.liveCount, Math.max(0, (endPage - firstPage) * pageSize)));
  const { positions, slots } = scratch;
  let n = 0;
  for (let p = firstPage; p < endPage; p++) {
    const page = store.page(p);
    const xyz = page.columns[column]!;
    const alive = page.alive;
    const first = p * pageSize;
    const count = Math.min(pageSize, highWater - first);
    for (let o = 0; o < count; o++) {
      if (alive[o] === 0) continue;
      const slot = first + o;
      positions[slot * 3] = xyz[o * 3]!;
      positions[slot * 3 + 1] = xyz[o * 3 + 1]!;
      positions[slot * 3 + 2] = xyz[o * 3 + 2]!;
      slots[n++] = slot;
    }
  }
  return { slots: slots.subarray(0, n), order: mortonOrder(positions, slots, n, bounds, scratch.order, scratch.work).subarray(0, n) };
}

/**
 * Moves `store`'s live actors (suspended ones too) into the Morton order of their `column`
 * (a vec3 position) within `bounds`, ties in slot order. Returns `order`: the old slot of each
 * new slot, `order[0 .. live)` (a view of the scratch, valid until the next sort).
 */
export function sortKindInSpace(store: KindStore, column: number, bounds: Box, scratch: SpatialSortScratch): Int32Array {
  const { order } = mortonOrderOfPages(store, column, bounds, scratch, 0, store.usedPages);
  store.reorder(order);
  return order;
}

/**
 * Sorts the live actors of pages [firstPage, endPage) into the Morton order of their positions,
 * among that range's live slots (`KindStore.reorderWithin`). Returns the range's live slots in
 * ascending order and `order`, the old slot of the actor each of them holds now (views of the
 * scratch, valid until the next sort).
 */
export function sortWindowInSpace(store: KindStore, column: number, bounds: Box, scratch: SpatialSortScratch, firstPage: number, endPage: number): { readonly slots: Int32Array; readonly order: Int32Array } {
  const end = Math.min(endPage, store.usedPages);
  const sorted = mortonOrderOfPages(store, column, bounds, scratch, firstPage, end);
  store.reorderWithin(firstPage, end, sorted.order);
  return sorted;
}

/**
 * The page window the `step`-th sort step of a kind with `usedPages` pages sorts: windows of
 * `windowPages` overlapping by half, swept forwards then backwards (an actor that must travel far
 * rides one sweep in its direction), a function of the step number alone — so a rewind or a
 * replay sorts the same window at the same tick.
 */
export function sortStepWindow(step: number, usedPages: number, windowPages: number): { first: number; end: number } {
  const width = Math.max(1, Math.min(usedPages, windowPages));
  const stride = Math.max(1, width >> 1);
  const positions = usedPages <= width ? 1 : Math.ceil((usedPages - width) / stride) + 1;
  const sweep = Math.floor(step / positions);
  const at = step % positions;
  const index = sweep % 2 === 0 ? at : positions - 1 - at;
  const first = Math.max(0, Math.min(index * stride, usedPages - width));
  return { first, end: first + width };
}

