/**
 * Adaptivity: split a leaf into 8 when its load exceeds the high-water mark, merge 8 sibling
 * leaves when their total load falls below the low-water mark. Because `mergeBelow < splitAbove`,
 * a leaf made by a merge cannot split at once (its load is below the low mark) and children made by
 * a split cannot merge at once (their total is above the high mark): no flapping. Writer only.
 *
 * Partition ids: on a split the child with the most points keeps the parent's id and the other
 * seven get fresh ones; on a merge the parent takes the id of its fullest child. Ids are never reused.
 */
import {
  BOX_SIZE,
  F_MERGE_BELOW,
  F_SPLIT_ABOVE,
  FREE,
  H_FREE_BLOCK,
  H_BUMP,
  H_GENERATION,
  H_ITEM_CAPACITY,
  H_LEAVES,
  H_LOAD_MODE,
  H_MAX_DEPTH,
  H_MAX_NODES,
  H_NEXT_PARTITION,
  H_NODE_HIGH,
  LEAF,
  N_CAP,
  N_CHILD,
  N_COUNT,
  N_DEPTH,
  N_NEXT_FREE,
  N_PARENT,
  N_PARTITION,
  N_START,
  NODE_INTS,
  type OctreeViews,
} from './layout.js';
import type { PartitionEvent } from './octree.js';
import { beginLeafByCell, finishLeafByCell, markCells, releaseBulk, sortedOctants, sortedSplittable, type BulkState } from './bulkLoad.js';
import { computeKeys, KEY_LEVELS, octantAt } from './keys.js';
import type { PartitionMap } from './partitionMap.js';
import { compact, reserve } from './segments.js';

/** Writer-side state that does not live in the buffer. */
export interface WriterState {
  /** Partition id → leaf node. */
  readonly nodeOf: PartitionMap;
  /** Octant keys, aligned with item slots, of the leaves keyed in this rebalance. */
  keys: Int32Array;
  /** Depth at which a node's keys were computed, -1 when it has none (per node, reset per rebalance). */
  keyDepth: Int8Array;
  /** Scratch for the counting sort: ids, then keys. */
  tmp: Int32Array;
  /** Scratch for the counting sort: positions. */
  tmpXYZ: Float64Array;
  /** Leaves made by splits in this rebalance, whose points' leaf and slot are written at the end. */
  fresh: number[];
  /** Bumped by every split and merge (and by `clear`): the tree's shape changed. */
  shape: number;
  /** The last bulk load's cell sort (bulkLoad.ts). */
  readonly bulk: BulkState;
}

/** Slack a fresh segment gets beyond its points. */
const slack = (count: number): number => 8 + (count >> 2);

/** Heat as reported: the fed-back value, or the point count when none was fed (NaN). */
export function heatOf(v: OctreeViews, node: number): number {
  const h = v.nodeHeat[node]!;
  return Number.isNaN(h) ? v.nodeInt[node * NODE_INTS + N_COUNT]! : h;
}

function loadOf(v: OctreeViews, node: number): number {
  return v.header[H_LOAD_MODE] === 1 ? heatOf(v, node) : v.nodeInt[node * NODE_INTS + N_COUNT]!;
}

function allocBlock(v: OctreeViews): number {
  const h = v.header;
  const ni = v.nodeInt;
  let block = h[H_FREE_BLOCK]!;
  if (block !== -1) {
    h[H_FREE_BLOCK] = ni[block * NODE_INTS + N_NEXT_FREE]!;
  } else {
    block = h[H_NODE_HIGH]!;
    if (block + 8 > h[H_MAX_NODES]!) return -1;
    h[H_NODE_HIGH] = block + 8;
  }
  for (let c = 0; c < 8; c++) ni[(block + c) * NODE_INTS + N_CHILD] = FREE;
  return block;
}

function freeBlock(v: OctreeViews, block: number): void {
  const ni = v.nodeInt;
  for (let c = 0; c < 8; c++) ni[(block + c) * NODE_INTS + N_CHILD] = FREE;
  ni[block * NODE_INTS + N_NEXT_FREE] = v.header[H_FREE_BLOCK]!;
  v.header[H_FREE_BLOCK] = block;
}

/** Counting-sorts `leaf`'s points by child octant (keys computed once per KEY_LEVELS levels). */
function sortByOctant(v: OctreeViews, w: WriterState, leaf: number, start: number, count: number, depth: number, perOctant: number[]): void {
  const ids = v.itemIds;
  if (w.keys.length < v.itemIds.length) w.keys = new Int32Array(v.itemIds.length);
  if (w.tmp.length < 2 * count) w.tmp = new Int32Array(Math.max(2 * count, 2 * w.tmp.length));
  if (w.tmpXYZ.length < 3 * count) w.tmpXYZ = new Float64Array(Math.max(3 * count, 2 * w.tmpXYZ.length));
  const keys = w.keys;
  let r = depth - w.keyDepth[leaf]!;
  if (w.keyDepth[leaf] === -1 || r >= KEY_LEVELS) {
    computeKeys(v.itemXYZ, keys, start, count, v.nodeBox, leaf);
    w.keyDepth[leaf] = depth;
    r = 0;
  }
  // Out-of-place counting sort by octant (8 sequential write streams), then copy back.
  for (let k = start; k < start + count; k++) perOctant[octantAt(keys[k]!, r)]!++;
  const fill = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let o = 1; o < 8; o++) fill[o] = fill[o - 1]! + perOctant[o - 1]!;
  const tmp = w.tmp;
  const tmpXYZ = w.tmpXYZ;
  const xyz = v.itemXYZ;
  for (let k = start; k < start + count; k++) {
    const key = keys[k]!;
    const at = fill[octantAt(key, r)]!++;
    tmp[at] = ids[k]!;
    tmp[count + at] = key;
    tmpXYZ[at * 3] = xyz[k * 3]!;
    tmpXYZ[at * 3 + 1] = xyz[k * 3 + 1]!;
    tmpXYZ[at * 3 + 2] = xyz[k * 3 + 2]!;
  }
  ids.set(tmp.subarray(0, count), start);
  keys.set(tmp.subarray(count, 2 * count), start);
  xyz.set(tmpXYZ.subarray(0, 3 * count), 3 * start);
}

/** Splits `leaf` into 8 children; false when no node block is free or the box cannot be halved. */
export function split(v: OctreeViews, w: WriterState, leaf: number, events: PartitionEvent[]): boolean {
  const ni = v.nodeInt;
  const box = v.nodeBox;
  const lb = leaf * BOX_SIZE;
  const mid = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    mid[a] = box[lb + a]! / 2 + box[lb + 3 + a]! / 2;
    if (!(box[lb + a]! < mid[a]! && mid[a]! < box[lb + 3 + a]!)) return false;
  }
  const block = allocBlock(v);
  if (block === -1) return false;
  const base = leaf * NODE_INTS;
  const count = ni[base + N_COUNT]!;
  const start = ni[base + N_START]!;
  const depth = ni[base + N_DEPTH]!;
  const perOctant = [0, 0, 0, 0, 0, 0, 0, 0];
  const sorted = sortedSplittable(w.bulk, leaf, depth);
  if (sorted) sortedOctants(w.bulk, leaf, depth, perOctant); // points already grouped by octant
  else sortByOctant(v, w, leaf, start, count, depth, perOctant);
  let fullest = 0;
  const heat = v.nodeHeat[leaf]!;
  const spare = ni[base + N_CAP]! - count;
  let at = start;
  for (let o = 0; o < 8; o++) {
    const child = block + o;
    const cb = child * NODE_INTS;
    ni[cb + N_CHILD] = LEAF;
    ni[cb + N_PARENT] = leaf;
    ni[cb + N_START] = at;
    ni[cb + N_COUNT] = perOctant[o]!;
    // The parent's spare slots follow the last child's points.
    ni[cb + N_CAP] = perOctant[o]! + (o === 7 ? spare : 0);
    ni[cb + N_DEPTH] = depth + 1;
    at += perOctant[o]!;
    w.keyDepth[child] = sorted ? -1 : w.keyDepth[leaf]!;
    w.bulk.nodeCell[child] = sorted ? w.bulk.nodeCell[leaf]! * 8 + o : -1;
    w.fresh.push(child);
    const c6 = child * BOX_SIZE;
    for (let a = 0; a < 3; a++) {
      const upper = (o >> a) & 1;
      box[c6 + a] = upper ? mid[a]! : box[lb + a]!;
      box[c6 + 3 + a] = upper ? box[lb + 3 + a]! : mid[a]!;
    }
    v.nodeHeat[child] = Number.isNaN(heat) ? NaN : count > 0 ? (heat * perOctant[o]!) / count : heat / 8;
    if (perOctant[o]! > perOctant[fullest]!) fullest = o;
  }
  const pid = ni[base + N_PARTITION]!;
  const into: number[] = [];
  for (let o = 0; o < 8; o++) {
    const id = o === fullest ? pid : v.header[H_NEXT_PARTITION]!++;
    ni[(block + o) * NODE_INTS + N_PARTITION] = id;
    w.nodeOf.set(id, block + o);
    into.push(id);
  }
  ni[base + N_CHILD] = block;
  ni[base + N_COUNT] = 0;
  ni[base + N_CAP] = 0;
  ni[base + N_PARTITION] = -1;
  v.header[H_LEAVES]! += 7;
  w.shape++;
  events.push({ type: 'split', from: pid, into });
  return true;
}

/** Merges the 8 leaf children of `node` back into it. */
export function merge(v: OctreeViews, w: WriterState, node: number, events: PartitionEvent[]): boolean {
  const ni = v.nodeInt;
  const base = node * NODE_INTS;
  const block = ni[base + N_CHILD]!;
  let total = 0;
  let fed = false;
  let heat = 0;
  let fullest = block;
  for (let c = block; c < block + 8; c++) {
    const count = ni[c * NODE_INTS + N_COUNT]!;
    total += count;
    if (!Number.isNaN(v.nodeHeat[c]!)) fed = true;
    heat += heatOf(v, c);
    if (count > ni[fullest * NODE_INTS + N_COUNT]!) fullest = c;
  }
  const h = v.header;
  let cap = total + slack(total);
  if (h[H_BUMP]! + cap > h[H_ITEM_CAPACITY]!) compact(v, 0); // moves the children's segments too
  cap = Math.min(cap, h[H_ITEM_CAPACITY]! - h[H_BUMP]!);
  if (cap < total) return false; // no room even after compaction: stay split
  let at = reserve(v, cap);
  ni[base + N_START] = at;
  const from: number[] = [];
  for (let c = block; c < block + 8; c++) {
    const cb = c * NODE_INTS;
    const start = ni[cb + N_START]!;
    const count = ni[cb + N_COUNT]!;
    v.itemIds.copyWithin(at, start, start + count);
    v.itemXYZ.copyWithin(at * 3, start * 3, (start + count) * 3);
    for (let k = 0; k < count; k++) {
      const id = v.itemIds[at + k]!;
      v.pointLeaf[id] = node;
      v.pointSlot[id] = at + k;
    }
    at += count;
    const pid = ni[cb + N_PARTITION]!;
    from.push(pid);
    w.nodeOf.delete(pid);
  }
  const pid = ni[fullest * NODE_INTS + N_PARTITION]!;
  ni[base + N_CHILD] = LEAF;
  ni[base + N_COUNT] = total;
  ni[base + N_CAP] = cap;
  ni[base + N_PARTITION] = pid;
  v.nodeHeat[node] = fed ? heat : NaN;
  w.nodeOf.set(pid, node);
  freeBlock(v, block);
  v.header[H_LEAVES]! -= 7;
  w.shape++;
  events.push({ type: 'merge', from, into: pid });
  return true;
}

function mergeable(v: OctreeViews, node: number): boolean {
  const block = v.nodeInt[node * NODE_INTS + N_CHILD]!;
  if (block < 0) return false;
  let load = 0;
  for (let c = block; c < block + 8; c++) {
    if (v.nodeInt[c * NODE_INTS + N_CHILD] !== LEAF) return false;
    load += loadOf(v, c);
  }
  return load < v.params[F_MERGE_BELOW]!;
}

/** One rebalancing pass: merges first (cascading upwards), then splits (cascading downwards). */
export function rebalance(v: OctreeViews, w: WriterState): PartitionEvent[] {
  const events: PartitionEvent[] = [];
  const ni = v.nodeInt;
  if (w.bulk.gen !== -1 && w.bulk.gen !== v.header[H_GENERATION]) releaseBulk(w.bulk); // mutated since the load
  for (let n = 0; n < v.header[H_NODE_HIGH]!; n++) {
    let node = n;
    while (node !== -1 && mergeable(v, node)) {
      if (!merge(v, w, node, events)) break;
      node = node === 0 ? -1 : ni[node * NODE_INTS + N_PARENT]!;
    }
  }
  if (events.length > 0) w.bulk.depth = 0;
  const above = v.params[F_SPLIT_ABOVE]!;
  const maxDepth = v.header[H_MAX_DEPTH]!;
  const stack: number[] = [];
  w.keyDepth.fill(-1);
  w.fresh.length = 0;
  const wants = (leaf: number): boolean =>
    loadOf(v, leaf) > above && ni[leaf * NODE_INTS + N_DEPTH]! < maxDepth && ni[leaf * NODE_INTS + N_COUNT]! >= 2;
  const high = v.header[H_NODE_HIGH]!;
  for (let n = 0; n < high; n++) if (ni[n * NODE_INTS + N_CHILD] === LEAF && wants(n)) stack.push(n);
  while (stack.length > 0) {
    const leaf = stack.pop()!;
    if (!split(v, w, leaf, events)) continue;
    const block = ni[leaf * NODE_INTS + N_CHILD]!;
    for (let c = block; c < block + 8; c++) if (wants(c)) stack.push(c);
  }
  // Points learn their final leaf and slot once, not at every level of a cascade. Leaves split
  // from the bulk load's sort (whose points never moved) learn it by cell, in id order.
  const byCell = w.bulk.depth > 0 && w.fresh.length > 0 ? beginLeafByCell(w.bulk) : null;
  for (const leaf of w.fresh) {
    const base = leaf * NODE_INTS;
    if (ni[base + N_CHILD] !== LEAF) continue;
    if (byCell && w.bulk.nodeCell[leaf]! >= 0) {
      markCells(w.bulk, byCell, leaf, ni[base + N_DEPTH]!);
      continue;
    }
    const start = ni[base + N_START]!;
    const end = start + ni[base + N_COUNT]!;
    for (let k = start; k < end; k++) {
      const id = v.itemIds[k]!;
      v.pointLeaf[id] = leaf;
      v.pointSlot[id] = k;
    }
  }
  if (byCell) finishLeafByCell(w.bulk, byCell, v.pointLeaf);
  if (events.length > 0 && w.bulk.gen !== -1) releaseBulk(w.bulk); // the generation moves on: the sort is spent
  w.fresh.length = 0;
  if (events.length > 0) v.header[H_GENERATION]!++;
  return events;
}
