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
