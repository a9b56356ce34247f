/**
 * The per-tick bulk `update`. Writer thread only.
 *
 * 1. One pass over the leaves in depth-first order (the Morton order of order.ts; the dense
 *    re-layout below and the bulk load place segments in that order too): each point's new
 *    position is read by id (random reads unless the caller keeps its ids in that order) and
 *    tested against the leaf's box held in registers. A point still inside gets it stored beside
 *    its id (sequential stores). A point that left is noted,
 *    with its old and new position; after the leaf, its movers are removed by swap-with-last
 *    (the leaf is in cache; one random store for the swapped point's slot). Measured slower, same run:
 *    an id-order pass that scatters into slots and finds leaves from a grid table (~1.5×), and
 *    gathering each leaf's positions into a small buffer before testing them (~1.6×).
 * 2. With an `evict` callback, a noted point outside the world box (or NaN) leaves the index and
 *    is reported. Else, if one is outside (under the throw policy), every noted point goes
 *    back into its old leaf with its old position, and the pass throws: no point changed leaf.
 * 3. Else each noted point is appended to its new leaf (found from the cell table, cellTable.ts).
 *    When many moved (a teleport, a first update), every leaf's segment is instead laid out again
 *    and all points counting-sorted into it, which leaves the item slots dense.
 */
import { buildCellTable, SPREAD, type CellTable } from './cellTable.js';
import { OctreeError } from './errors.js';
import {
  BOX_SIZE,
  F_MAX,
  F_MIN,
  H_BUMP,
  H_GENERATION,
  H_ITEM_CAPACITY,
  H_OUT_OF_BOUNDS,
  H_SIZE,
  LEAF,
  N_CAP,
  N_CHILD,
  N_COUNT,
  N_START,
  NODE_INTS,
  type OctreeViews,
} from './layout.js';
import { checkBounds, clamped, leafFor } from './mutate.js';
import { positionChunks, type ChunkedPositions } from './positionChunks.js';
import { append } from './segments.js';

/** Rebuild the leaf order when more than 1 point in REBUILD_EVERY moved (a counting sort of 1M ≈ 20 ms, an append ≈ 0.1 µs). */
const REBUILD_EVERY = 8;
/** …or when the used item slots span more than FRAGMENTED × the points. */
const FRAGMENTED = 1.6;

/** The writer's scratch for `update`. */
export interface UpdateScratch {
  /** Ids of the points that left their leaf, their old leaf and slot. */
  moved: Int32Array;
  movedFrom: Int32Array;
  movedSlot: Int32Array;
  /** Their old and new positions, 6 per point. */
  movedXYZ: Float64Array;
  readonly cells: CellTable;
  /** The leaves in depth-first order (`partitions()` order), `leafCount` of them, for shape `leafStamp`. */
  leaves: Int32Array;
  leafCount: number;
  leafStamp: number;
}

export function createUpdateScratch(cells: CellTable): UpdateScratch {
  return { moved: new Int32Array(64), movedFrom: new Int32Array(64), movedSlot: new Int32Array(64), movedXYZ: new Float64Array(64 * 6), cells, leaves: new Int32Array(8), leafCount: 0, leafStamp: -1 };
}

/** Lists the leaves depth-first, children in octant order: the order of Morton keys (order.ts). */
export function listLeaves(v: OctreeViews, s: UpdateScratch, shape: number): void {
  const ni = v.nodeInt;
  const stack: number[] = [0];
  let n = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    const child = ni[node * NODE_INTS + N_CHILD]!;
    if (child !== LEAF) {
      for (let c = 7; c >= 0; c--) stack.push(child + c);
      continue;
    }
    if (n === s.leaves.length) {
      const grown = new Int32Array(2 * n);
      grown.set(s.leaves);
      s.leaves = grown;
    }
    s.leaves[n++] = node;
  }
  s.leafCount = n;
  s.leafStamp = shape;
}

/** Grows the notes (ids, old leaves, positions) to hold `need` movers. */
export function grow(s: UpdateScratch, need: number): void {
  if (need <= s.moved.length) return;
  const n = Math.max(need, 2 * s.moved.length);
  const moved = new Int32Array(n), from = new Int32Array(n), xyz = new Float64Array(n * 6);
  moved.set(s.moved);
  from.set(s.movedFrom);
  xyz.set(s.movedXYZ);
  s.moved = moved;
  s.movedFrom = from;
  s.movedXYZ = xyz;
}

/** Grows the slots list to `need` (a leaf's points may all leave). */
function growSlots(s: UpdateScratch, need: number): void {
  const slots = new Int32Array(Math.max(need, 2 * s.movedSlot.length));
  slots.set(s.movedSlot);
  s.movedSlot = slots;
}

/**
 * Reads every indexed point's position from `positions` (flat: `[3·id ..]`; chunked: see
 * positionChunks.ts); re-buckets the points that left their leaf. `shape` is the writer's shape
 * counter (a stale cell table is rebuilt). Returns how many points changed leaf.
 */
/** Told about a point `update` took out of the index because its new position is outside the world box (or NaN). */
export type EvictedPoint = (id: number, x: number, y: number, z: number) => void;

export function updateAll(v: OctreeViews, positions: Float64Array | ChunkedPositions, scratch: UpdateScratch, shape: number, evict?: EvictedPoint): number {
  const leafOf = v.pointLeaf;
  const { chunks, shift, ids: covered } = positionChunks(positions);
  const n = Math.min(leafOf.length, covered);
  for (let id = n; id < leafOf.length; id++) {
    if (leafOf[id] !== -1) {
      throw new OctreeError('OCTREE_INVALID_ARGUMENT', `positions cover ids below ${covered}; point ${id} is indexed`);
    }
  }
  v.header[H_GENERATION]!++;
  if (scratch.leafStamp !== shape) listLeaves(v, scratch, shape);
  const noted = leafPass(v, chunks, shift, scratch);
  if (noted === 0) return 0;
  placeNoted(v, chunks, shift, n, scratch, shape, noted, evict);
  return noted;
}

/**
 * Steps 2 and 3 for the `noted` points the scratch holds (already out of their old leaves, with
 * their old and new positions): evicts, or throws with every point back in its old leaf, or
 * appends each to its new leaf (or lays every leaf out again when many moved).
 */
export function placeNoted(v: OctreeViews, chunks: readonly Float64Array[], shift: number, n: number, scratch: UpdateScratch, shape: number, noted: number, evict: EvictedPoint | undefined): void {
  const leafOf = v.pointLeaf;
  const m = evict ? evictOutside(v, scratch, noted, evict) : noted;
  const { moved, movedFrom, movedXYZ } = scratch;
  let bad = -1;
  for (let i = 0; i < m && bad === -1; i++) {
    const q = i * 6 + 3;
    const p = v.params;
    const x = movedXYZ[q]!, y = movedXYZ[q + 1]!, z = movedXYZ[q + 2]!;
    if (x >= p[F_MIN]! && x <= p[F_MAX]! && y >= p[F_MIN + 1]! && y <= p[F_MAX + 1]! && z >= p[F_MIN + 2]! && z <= p[F_MAX + 2]!) continue;
    if (v.header[H_OUT_OF_BOUNDS] !== 1 || Number.isNaN(x) || Number.isNaN(y) || Number.isNaN(z)) bad = i;
  }
  if (bad !== -1) {
    for (let i = 0; i < m; i++) {
      const q = i * 6;
      append(v, movedFrom[i]!, moved[i]!, movedXYZ[q]!, movedXYZ[q + 1]!, movedXYZ[q + 2]!);
    }
    const q = bad * 6 + 3;
    checkBounds(v, moved[bad]!, movedXYZ[q]!, movedXYZ[q + 1]!, movedXYZ[q + 2]!); // throws
  }
  const cells = scratch.cells;
  if (cells.stamp !== shape) buildCellTable(v, cells, shape);
  // Many movers, or segments scattered by growth (the pass then jumps between them: measured
  // 14 → 22 ms at 1M after 15 ticks): lay everything out again, in node order.
  const size = v.header[H_SIZE]!;
  const rebuild = m * REBUILD_EVERY > size || v.header[H_BUMP]! > FRAGMENTED * size + 4096;
  const ni = v.nodeInt;
  for (let i = 0; i < m; i++) {
    const id = moved[i]!;
    const q = i * 6 + 3;
    let x = movedXYZ[q]!, y = movedXYZ[q + 1]!, z = movedXYZ[q + 2]!;
    if (checkBounds(v, id, x, y, z)) {
      x = movedXYZ[q] = clamped[0]!;
      y = movedXYZ[q + 1] = clamped[1]!;
      z = movedXYZ[q + 2] = clamped[2]!;
    }
    const to = leafOfPoint(v, cells, x, y, z);
    if (rebuild) {
      ni[to * NODE_INTS + N_COUNT]!++;
      leafOf[id] = to;
    } else {
      append(v, to, id, x, y, z);
    }
  }
  if (!rebuild) return;
  rebuildSlots(v, chunks, shift, n, scratch);
  if (v.header[H_OUT_OF_BOUNDS] === 1) {
    // The rebuild copied raw positions; clamped points get theirs back.
    for (let i = 0; i < m; i++) {
      const s = v.pointSlot[moved[i]!]! * 3;
      const q = i * 6 + 3;
      v.itemXYZ[s] = movedXYZ[q]!;
      v.itemXYZ[s + 1] = movedXYZ[q + 1]!;
      v.itemXYZ[s + 2] = movedXYZ[q + 2]!;
    }
  }
}

/**
 * Takes the noted points outside the world box (or with a NaN) out of the index — leafPass has
 * already taken them out of their leaves — and reports them in the order noted; compacts the
 * notes to the rest and returns how many remain.
 */
function evictOutside(v: OctreeViews, scratch: UpdateScratch, m: number, evict: EvictedPoint): number {
  const p = v.params;
  const lx = p[F_MIN]!, ly = p[F_MIN + 1]!, lz = p[F_MIN + 2]!;
  const hx = p[F_MAX]!, hy = p[F_MAX + 1]!, hz = p[F_MAX + 2]!;
  const { moved, movedFrom, movedXYZ } = scratch;
  let kept = 0;
  for (let i = 0; i < m; i++) {
    const q = i * 6;
    const x = movedXYZ[q + 3]!, y = movedXYZ[q + 4]!, z = movedXYZ[q + 5]!;
    const id = moved[i]!;
    if (x >= lx && x <= hx && y >= ly && y <= hy && z >= lz && z <= hz) {
      if (kept !== i) {
        moved[kept] = id;
        movedFrom[kept] = movedFrom[i]!;
        movedXYZ.copyWithin(kept * 6, q, q + 6);
      }
      kept++;
      continue;
    }
    v.pointLeaf[id] = -1;
    v.header[H_SIZE]!--;
    evict(id, x, y, z);
  }
  return kept;
}

/** The leaf holding a point inside the world box: the cell table's guess checked against its box, else a descent. */
function leafOfPoint(v: OctreeViews, t: CellTable, x: number, y: number, z: number): number {
  const ux = (x - t.lo[0]!) * t.scale[0]!, uy = (y - t.lo[1]!) * t.scale[1]!, uz = (z - t.lo[2]!) * t.scale[2]!;
  if (ux >= 0 && uy >= 0 && uz >= 0 && ux < t.grid && uy < t.grid && uz < t.grid) {
    const leaf = t.table[SPREAD[ux | 0]! | (SPREAD[uy | 0]! << 1) | (SPREAD[uz | 0]! << 2)]!;
    const box = v.nodeBox;
    const b = leaf * BOX_SIZE;
    if (leaf >= 0 && x >= box[b]! && x < box[b + 3]! && y >= box[b + 1]! && y < box[b + 4]! && z >= box[b + 2]! && z < box[b + 5]!) return leaf;
  }
  return leafFor(v, x, y, z);
}

/** Step 1 over every leaf; returns how many points left their leaf (noted in the scratch). */
function leafPass(v: OctreeViews, chunks: readonly Float64Array[], shift: number, scratch: UpdateScratch): number {
  const mask = 2 ** shift - 1;
  // Always a Float64Array (never undefined), so the flat loop's loads stay monomorphic.
  const flat = chunks[0] ?? new Float64Array(0);
  const isFlat = chunks.length === 1;
  const ni = v.nodeInt;
  const box = v.nodeBox;
  const ids = v.itemIds;
  const xyz = v.itemXYZ;
  const slotOf = v.pointSlot;
  let m = 0;
  const leaves = scratch.leaves;
  for (let li = 0; li < scratch.leafCount; li++) {
    const node = leaves[li]!;
    const base = node * NODE_INTS;
    const start = ni[base + N_START]!;
    let end = start + ni[base + N_COUNT]!;
    const b = node * BOX_SIZE;
    const lx = box[b]!, ly = box[b + 1]!, lz = box[b + 2]!;
    const hx = box[b + 3]!, hy = box[b + 4]!, hz = box[b + 5]!;
    if (m + (end - start) > scratch.movedSlot.length) growSlots(scratch, m + (end - start));
    const movedSlot = scratch.movedSlot;
    const first = m;
    // One flat array: no chunk lookup per point (it cost ~15 % with ids in random order).
    if (isFlat) {
      for (let k = start; k < end; k++) {
        const p = ids[k]! * 3;
        const x = flat[p]!, y = flat[p + 1]!, z = flat[p + 2]!;
        if (x >= lx && x < hx && y >= ly && y < hy && z >= lz && z < hz) {
          const s = k * 3;
          xyz[s] = x;
          xyz[s + 1] = y;
          xyz[s + 2] = z;
        } else movedSlot[m++] = k; // left the leaf (or NaN)
      }
    } else {
      for (let k = start; k < end; k++) {
        const id = ids[k]!;
        const positions = chunks[id >> shift]!;
        const p = (id & mask) * 3;
        const x = positions[p]!, y = positions[p + 1]!, z = positions[p + 2]!;
        if (x >= lx && x < hx && y >= ly && y < hy && z >= lz && z < hz) {
          const s = k * 3;
          xyz[s] = x;
          xyz[s + 1] = y;
          xyz[s + 2] = z;
        } else movedSlot[m++] = k;
      }
    }
    // This leaf's movers, highest slot first: note each with its old position (its slot was not
    // written) and new one, and fill its slot with the leaf's last point, which has been updated
    // already and is not a mover. (Doing this inside the loop above made the loop ~2× slower.)
    if (m > scratch.moved.length) grow(scratch, m);
    const mx = scratch.movedXYZ;
    for (let i = m - 1; i >= first; i--) {
      const k = movedSlot[i]!;
      const id = ids[k]!;
      const s = k * 3;
      const q = i * 6;
      const positions = chunks[id >> shift]!;
      const p = (id & mask) * 3;
      mx[q] = xyz[s]!;
      mx[q + 1] = xyz[s + 1]!;
      mx[q + 2] = xyz[s + 2]!;
      mx[q + 3] = positions[p]!;
      mx[q + 4] = positions[p + 1]!;
      mx[q + 5] = positions[p + 2]!;
      scratch.movedFrom[i] = node;
      scratch.moved[i] = id;
      const last = --end;
      if (k === last) continue;
      const lastId = ids[last]!;
      ids[k] = lastId;
      slotOf[lastId] = k;
      xyz[s] = xyz[last * 3]!;
      xyz[s + 1] = xyz[last * 3 + 1]!;
      xyz[s + 2] = xyz[last * 3 + 2]!;
    }
    ni[base + N_COUNT] = end - start;
  }
  return m;
}

/**
 * Lays the leaves' segments out again from slot 0 in depth-first order (so slot order follows the
 * Morton order of the leaves, and ids a caller keeps in that order are read in sequence), each with
 * a little slack for later inserts, and counting-sorts every point into them. `pointLeaf` and the
 * leaves' N_COUNT must already be the new ones; N_COUNT is used as the fill pointer.
 */
function rebuildSlots(v: OctreeViews, chunks: readonly Float64Array[], shift: number, n: number, scratch: UpdateScratch): void {
  const mask = 2 ** shift - 1;
  const ni = v.nodeInt;
  const list = scratch.leaves;
  const leaves = scratch.leafCount;
  let points = 0;
  for (let li = 0; li < leaves; li++) points += ni[list[li]! * NODE_INTS + N_COUNT]!;
  // Slack of count/4 + 4 per leaf when it fits (it does with the default itemCapacity), else none.
  const withSlack = points + (points >> 2) + 4 * leaves <= v.header[H_ITEM_CAPACITY]!;
  let at = 0;
  for (let li = 0; li < leaves; li++) {
    const base = list[li]! * NODE_INTS;
    const count = ni[base + N_COUNT]!;
    ni[base + N_START] = at;
    ni[base + N_COUNT] = 0;
    const cap = withSlack ? count + (count >> 2) + 4 : count;
    ni[base + N_CAP] = cap;
    at += cap;
  }
  v.header[H_BUMP] = at;
  const leafOf = v.pointLeaf;
  const slotOf = v.pointSlot;
  const ids = v.itemIds;
  const xyz = v.itemXYZ;
  for (let id = 0; id < n; id++) {
    const leaf = leafOf[id]!;
    if (leaf < 0) continue;
    const base = leaf * NODE_INTS;
    const slot = ni[base + N_START]! + ni[base + N_COUNT]!++;
    ids[slot] = id;
    slotOf[id] = slot;
    const positions = chunks[id >> shift]!;
    const p = (id & mask) * 3;
    const s = slot * 3;
    xyz[s] = positions[p]!;
    xyz[s + 1] = positions[p + 1]!;
    xyz[s + 2] = positions[p + 2]!;
  }
}
