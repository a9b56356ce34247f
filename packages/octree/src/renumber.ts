/**
 * `renumber`: the caller moved its points to other ids (e.g. into Morton order, order.ts); the
 * tree follows without moving a point. Writer thread only. The tree's shape, leaves, slots,
 * partition ids, heats and stored positions stay as they are; only `itemIds` and the by-id
 * `pointLeaf` / `pointSlot` change.
 */
import { OctreeError } from './errors.js';
import { H_GENERATION, H_NODE_HIGH, LEAF, N_CHILD, N_COUNT, N_START, NODE_INTS, type OctreeViews } from './layout.js';

/**
 * Every indexed id `i` becomes `newIdOf[i]`. Validates everything first (so a bad map changes
 * nothing), with `marks` as a bitmap of the new ids (≥ capacity / 32 words); then rewrites the
 * item slots leaf by leaf. O(capacity + points).
 */
export function renumberIds(v: OctreeViews, newIdOf: Int32Array, marks: Uint32Array): void {
  const leafOf = v.pointLeaf;
  const capacity = leafOf.length;
  marks.fill(0, 0, (capacity + 31) >>> 5);
  for (let id = 0; id < capacity; id++) {
    if (leafOf[id] === -1) continue;
    if (id >= newIdOf.length) {
      throw new OctreeError('OCTREE_INVALID_ARGUMENT', `renumber: id ${id} is indexed but newIdOf has only ${newIdOf.length} entries`);
    }
    const to = newIdOf[id]!;
    if (to < 0 || to >= capacity) {
      throw new OctreeError('OCTREE_INVALID_ARGUMENT', `renumber: newIdOf[${id}] = ${to} is outside [0, ${capacity})`);
    }
    const bit = 1 << (to & 31);
    if ((marks[to >>> 5]! & bit) !== 0) {
      let other = 0;
      while (leafOf[other] === -1 || newIdOf[other] !== to) other++;
      throw new OctreeError('OCTREE_INVALID_ARGUMENT', `renumber: ids ${other} and ${id} both map to ${to}`);
    }
    marks[to >>> 5] = marks[to >>> 5]! | bit;
  }
  leafOf.fill(-1);
  const ni = v.nodeInt;
  const ids = v.itemIds;
  const slotOf = v.pointSlot;
  const high = v.header[H_NODE_HIGH]!;
  for (let node = 0; node < high; node++) {
    const base = node * NODE_INTS;
    if (ni[base + N_CHILD] !== LEAF) continue;
    const start = ni[base + N_START]!;
    const end = start + ni[base + N_COUNT]!;
    for (let k = start; k < end; k++) {
      const to = newIdOf[ids[k]!]!;
      ids[k] = to;
      leafOf[to] = node;
      slotOf[to] = k;
    }
  }
  // Readers and the bulk load's by-id keys (adapt.ts drops them when the generation moved) see the change.
  v.header[H_GENERATION]!++;
}

/**
 * Ids `from[k]` become `to[k]` (k < count), every other id staying as it is: the caller moved a
 * few of its points among themselves (a bounded step of a sort). Ids of `from` not in the index
 * are skipped. Validates first (so a bad map changes nothing): a new id outside [0, capacity),
 * named twice, or held by an indexed id that does not move. O(count + capacity / 32).
 */
export function renumberSomeIds(v: OctreeViews, from: Int32Array, to: Int32Array, count: number, marks: Uint32Array): void {
  const leafOf = v.pointLeaf;
  const capacity = leafOf.length;
  if (!(Number.isInteger(count) && count >= 0 && count <= from.length && count <= to.length)) {
    throw new OctreeError('OCTREE_INVALID_ARGUMENT', `renumberSome: count ${count} is not an integer in [0, ${Math.min(from.length, to.length)}]`);
  }
  marks.fill(0, 0, (capacity + 31) >>> 5);
  const mark = (id: number): boolean => {
    const bit = 1 << (id & 31);
    const had = (marks[id >>> 5]! & bit) !== 0;
    marks[id >>> 5] = marks[id >>> 5]! | bit;
    return had;
  };
  const marked = (id: number): boolean => (marks[id >>> 5]! & (1 << (id & 31))) !== 0;
  // The ids that move out of their place (indexed or not): their old labels are free to take.
  for (let k = 0; k < count; k++) {
    const id = from[k]!;
    if (!(id >= 0 && id < capacity)) throw new OctreeError('OCTREE_INVALID_ARGUMENT', `renumberSome: from[${k}] = ${id} is outside [0, ${capacity})`);
    if (mark(id)) throw new OctreeError('OCTREE_INVALID_ARGUMENT', `renumberSome: id ${id} is named twice in from`);
  }
  for (let k = 0; k < count; k++) {
    const target = to[k]!;
    if (leafOf[from[k]!] === -1) continue;
    if (!(target >= 0 && target < capacity)) throw new OctreeError('OCTREE_INVALID_ARGUMENT', `renumberSome: to[${k}] = ${target} is outside [0, ${capacity})`);
    if (leafOf[target] !== -1 && !marked(target)) throw new OctreeError('OCTREE_INVALID_ARGUMENT', `renumberSome: to[${k}] = ${target} is an indexed id that does not move`);
  }
  // Second pass over the marks: now as "taken as a new id".
  marks.fill(0, 0, (capacity + 31) >>> 5);
  for (let k = 0; k < count; k++) {
    if (leafOf[from[k]!] === -1) continue;
    if (mark(to[k]!)) throw new OctreeError('OCTREE_INVALID_ARGUMENT', `renumberSome: two ids move to ${to[k]}`);
  }
  const slotOf = v.pointSlot;
  const ids = v.itemIds;
  const leaves = new Int32Array(count);
  const slots = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const id = from[k]!;
    leaves[k] = leafOf[id]!;
    slots[k] = slotOf[id]!;
    leafOf[id] = -1;
  }
  for (let k = 0; k < count; k++) {
    if (leaves[k] === -1) continue;
    const target = to[k]!;
    ids[slots[k]!] = target;
    leafOf[target] = leaves[k]!;
    slotOf[target] = slots[k]!;
  }
  v.header[H_GENERATION]!++;
}

