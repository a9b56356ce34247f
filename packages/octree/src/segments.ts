/**
 * Item segments: each leaf owns a contiguous run of item slots `[start, start + cap)`, of which
 * the first `count` hold its point ids. A leaf that fills
 * up moves to a fresh run of twice the size at the bump pointer; when the bump pointer reaches the
 * end, `compact` packs every segment again with some slack. Writer thread only.
 */
import { OctreeError } from './errors.js';
import { H_BUMP, H_ITEM_CAPACITY, H_NODE_HIGH, LEAF, N_CAP, N_CHILD, N_COUNT, N_START, NODE_INTS, type OctreeViews } from './layout.js';

/** Smallest segment a growing leaf gets. */
const MIN_SEGMENT = 8;

/** Hands out `n` item slots at the bump pointer, compacting first when they do not fit. */
export function reserve(v: OctreeViews, n: number): number {
  const h = v.header;
  if (h[H_BUMP]! + n > h[H_ITEM_CAPACITY]!) {
    compact(v, n);
    if (h[H_BUMP]! + n > h[H_ITEM_CAPACITY]!) {
      throw new OctreeError('OCTREE_INVALID_ARGUMENT', `item slots exhausted: need ${n} more, ${h[H_ITEM_CAPACITY]! - h[H_BUMP]!} free`);
    }
  }
  const at = h[H_BUMP]!;
  h[H_BUMP] = at + n;
  return at;
}

/** Moves `leaf`'s points to `to` (cap `cap`), updating their slots. The old run becomes garbage. */
export function relocate(v: OctreeViews, leaf: number, to: number, cap: number): void {
  const ni = v.nodeInt;
  const base = leaf * NODE_INTS;
  const from = ni[base + N_START]!;
  const count = ni[base + N_COUNT]!;
  if (count > 0 && from !== to) {
    v.itemIds.copyWithin(to, from, from + count);
    v.itemXYZ.copyWithin(to * 3, from * 3, (from + count) * 3);
    const ids = v.itemIds;
    const slot = v.pointSlot;
    for (let k = 0; k < count; k++) slot[ids[to + k]!] = to + k;
  }
  ni[base + N_START] = to;
  ni[base + N_CAP] = cap;
}

/** Appends a point to a leaf, growing its segment when full. Returns the slot. */
export function append(v: OctreeViews, leaf: number, id: number, x: number, y: number, z: number): number {
  const ni = v.nodeInt;
  const base = leaf * NODE_INTS;
  let count = ni[base + N_COUNT]!;
  if (count === ni[base + N_CAP]!) {
    const h = v.header;
    let cap = Math.max(MIN_SEGMENT, count * 2);
    if (h[H_BUMP]! + cap > h[H_ITEM_CAPACITY]!) compact(v, 0); // moves every segment, this one too
    cap = Math.max(count + 1, Math.min(cap, h[H_ITEM_CAPACITY]! - h[H_BUMP]!));
    if (ni[base + N_CAP]! > count) cap = 0; // compaction gave this leaf room already
    const to = cap > 0 ? reserve(v, cap) : ni[base + N_START]!;
    if (cap > 0) relocate(v, leaf, to, cap);
    count = ni[base + N_COUNT]!;
  }
  const slot = ni[base + N_START]! + count;
  ni[base + N_COUNT] = count + 1;
  v.itemIds[slot] = id;
  const xyz = v.itemXYZ;
  xyz[slot * 3] = x;
  xyz[slot * 3 + 1] = y;
  xyz[slot * 3 + 2] = z;
  v.pointLeaf[id] = leaf;
  v.pointSlot[id] = slot;
  return slot;
}

/** Removes the point in `slot` of `leaf` by moving the leaf's last point into it. */
export function removeAt(v: OctreeViews, leaf: number, slot: number): void {
  const ni = v.nodeInt;
  const base = leaf * NODE_INTS;
  const count = ni[base + N_COUNT]! - 1;
  const last = ni[base + N_START]! + count;
  ni[base + N_COUNT] = count;
  if (slot !== last) {
    const moved = v.itemIds[last]!;
    v.itemIds[slot] = moved;
    v.pointSlot[moved] = slot;
    const xyz = v.itemXYZ;
    xyz[slot * 3] = xyz[last * 3]!;
    xyz[slot * 3 + 1] = xyz[last * 3 + 1]!;
    xyz[slot * 3 + 2] = xyz[last * 3 + 2]!;
  }
}

/**
 * Packs every leaf's segment to the front, then spreads them out again with slack, keeping room
 * for `need` more slots at the bump pointer. Two phases so every copy moves data in one direction
 * (left while packing in address order, right while spreading in reverse) and never overwrites a
 * segment not yet moved.
 */
export function compact(v: OctreeViews, need: number): void {
  const ni = v.nodeInt;
  const leaves: number[] = [];
  const high = v.header[H_NODE_HIGH]!;
  for (let n = 0; n < high; n++) if (ni[n * NODE_INTS + N_CHILD] === LEAF) leaves.push(n);
  leaves.sort((a, b) => ni[a * NODE_INTS + N_START]! - ni[b * NODE_INTS + N_START]!);
  let packed = 0;
  for (const leaf of leaves) {
    const base = leaf * NODE_INTS;
    const from = ni[base + N_START]!;
    const count = ni[base + N_COUNT]!;
    if (count > 0 && from !== packed) {
      v.itemIds.copyWithin(packed, from, from + count);
      v.itemXYZ.copyWithin(packed * 3, from * 3, (from + count) * 3);
    }
    ni[base + N_START] = packed;
    packed += count;
  }
  const free = Math.max(0, v.header[H_ITEM_CAPACITY]! - packed - need);
  const share = leaves.length > 0 ? Math.floor(free / (2 * leaves.length)) : 0;
  let end = 0;
  const starts = new Int32Array(leaves.length);
  for (let i = 0; i < leaves.length; i++) {
    const base = leaves[i]! * NODE_INTS;
    const count = ni[base + N_COUNT]!;
    starts[i] = end;
    const cap = count + Math.min(share, MIN_SEGMENT + (count >> 2));
    ni[base + N_CAP] = cap;
    end += cap;
  }
  for (let i = leaves.length - 1; i >= 0; i--) {
    const leaf = leaves[i]!;
    relocate(v, leaf, starts[i]!, ni[leaf * NODE_INTS + N_CAP]!);
  }
  // relocate skips unmoved segments, so refresh every slot once.
  const ids = v.itemIds;
  for (const leaf of leaves) {
    const start = ni[leaf * NODE_INTS + N_START]!;
    const count = ni[leaf * NODE_INTS + N_COUNT]!;
    for (let k = start; k < start + count; k++) v.pointSlot[ids[k]!] = k;
  }
  v.header[H_BUMP] = end;
}
