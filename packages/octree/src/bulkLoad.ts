/**
 * Bulk load: `insertMany` into an empty tree counting-sorts the points by their Morton cell at a
 * fixed depth D (one pass in id order to key and count, two to place: see below), so the root's
 * segment holds the points grouped by cell. While nothing else mutates, `rebalance()` then splits
 * such a sorted leaf by looking up its children's ranges in the cells' prefix sums: no point is
 * read or moved per level (the per-level counting sort moved every point once per level, ~5
 * times at 1M points in leaves of ≤ 64). Leaves deeper than D split the ordinary way.
 * Writer thread only.
 */
import { F_MAX, F_MIN, F_SPLIT_ABOVE, H_GENERATION, H_SIZE, N_COUNT, N_START, type OctreeViews } from './layout.js';
import { exactKey, KEY_LEVELS, margin, spread } from './keys.js';

/** Deepest sort level: 8^7 cells, an 8 MiB prefix table. */
const MAX_SORT_DEPTH = 7;

/** Writer-side state of the last bulk load. */
export interface BulkState {
  /** The generation right after the load; the sort is valid only while it is unchanged. */
  gen: number;
  /** Sort depth D (0: no valid sort). */
  depth: number;
  /** cellStart[c] = points in cells before c (Morton order at depth D); 8^D + 1 entries. */
  cellStart: Int32Array;
  /**
   * Per node: its Morton prefix at its depth when its segment is still sorted, else -1. Read only
   * for the root and for nodes made by splits since the load, which all set it (no fill needed).
   */
  nodeCell: Int32Array;
  /** Cell by id of the ids 0..count-1 loaded. */
  keys: Int32Array;
  count: number;
  /** Scratch: fill pointers of the counting sort, one coarse run. */
  fill: Int32Array;
  tmpIds: Int32Array;
  tmpXYZ: Float64Array;
}

export function createBulkState(maxNodes: number): BulkState {
  return { gen: -1, depth: 0, cellStart: new Int32Array(1), nodeCell: new Int32Array(maxNodes), keys: new Int32Array(0), count: 0, fill: new Int32Array(0), tmpIds: new Int32Array(0), tmpXYZ: new Float64Array(0) };
}

/**
 * Loads ids 0..count-1 into the root leaf, which must be empty, sorted by cell. Returns false
 * (nothing changed) when a position lies outside the world box or is NaN: the caller's per-point
 * path then throws or clamps.
 */
export function bulkLoad(v: OctreeViews, s: BulkState, positions: Float64Array, count: number): boolean {
  const p = v.params;
  const wx = p[F_MAX]!, wy = p[F_MAX + 1]!, wz = p[F_MAX + 2]!;
  // The least D with 8^D ≥ 8× the leaves a uniform load would end with (capped).
  const leaves = count / Math.max(1, p[F_SPLIT_ABOVE]!);
  let depth = 1;
  while (depth < MAX_SORT_DEPTH && 8 ** (depth - 1) < leaves) depth++;
  const cells = 1 << (3 * depth);
  if (s.keys.length < count) s.keys = new Int32Array(count);
  if (s.cellStart.length !== cells + 1) s.cellStart = new Int32Array(cells + 1);
  const keys = s.keys;
  const start = s.cellStart;
  start.fill(0);
  // Cells of the root's box [min, nextUp(max)) at depth D; a point within rounding error of a
  // grid line takes the exact halving path (keys.ts), so cells agree with the split planes.
  const box = v.nodeBox;
  const lx = box[0]!, ly = box[1]!, lz = box[2]!;
  const grid = 1 << depth;
  const sx = grid / (box[3]! - lx), sy = grid / (box[4]! - ly), sz = grid / (box[5]! - lz);
  const nx = margin(lx, box[3]!, sx), ny = margin(ly, box[4]!, sy), nz = margin(lz, box[5]!, sz);
  const shift = 3 * (KEY_LEVELS - depth);
  for (let id = 0; id < count; id++) {
    const q = id * 3;
    const x = positions[q]!, y = positions[q + 1]!, z = positions[q + 2]!;
    if (!(x >= lx && x <= wx && y >= ly && y <= wy && z >= lz && z <= wz)) return false;
    const ux = (x - lx) * sx, uy = (y - ly) * sy, uz = (z - lz) * sz;
    const cx = ux | 0, cy = uy | 0, cz = uz | 0;
    const fx = ux - cx, fy = uy - cy, fz = uz - cz;
    const c =
      fx < nx || fx > 1 - nx || fy < ny || fy > 1 - ny || fz < nz || fz > 1 - nz || cx >= grid || cy >= grid || cz >= grid
        ? exactKey(x, y, z, box, 0) >>> shift
        : spread[cx]! | (spread[cy]! << 1) | (spread[cz]! << 2);
    keys[id] = c;
    start[c + 1]!++;
  }
  for (let c = 0; c < cells; c++) start[c + 1]! += start[c]!;
  // Two passes, so that no pass scatters over many streams: (1) every point to its depth-2
  // cell's run, in id order (64 sequential write streams); (2) within each such run, which fits
  // in L2, to its depth-D cell. At 1M points: scattering straight to the 8^D cells measured
  // 45 ms (28 B stores over 262k streams), an id sort then a gather of positions ~55 ms, these
  // two passes ~35 ms (~42 ms with depth-3 runs, 512 streams), ~4 ms less since the second
  // recomputes cells from the positions instead of reading a by-slot key array.
  const coarseShift = 3 * Math.max(0, depth - 2);
  const coarse = cells >>> coarseShift;
  const fill = s.fill.length >= cells ? s.fill : (s.fill = new Int32Array(cells));
  for (let b = 0; b < coarse; b++) fill[b] = start[b << coarseShift]!;
  const root = v.nodeInt;
  const base = root[N_START]!;
  const { itemIds, itemXYZ, pointLeaf, pointSlot } = v;
  for (let id = 0; id < count; id++) {
    const c = keys[id]!;
    const at = fill[c >>> coarseShift]!++;
    const q = id * 3;
    const s3 = (base + at) * 3;
    itemIds[base + at] = id;
    itemXYZ[s3] = positions[q]!;
    itemXYZ[s3 + 1] = positions[q + 1]!;
    itemXYZ[s3 + 2] = positions[q + 2]!;
  }
  fill.set(start.subarray(0, cells));
  for (let b = 0; b < coarse; b++) {
    const from = start[b << coarseShift]!, to = start[(b + 1) << coarseShift]!;
    const n = to - from;
    if (s.tmpIds.length < n) {
      s.tmpIds = new Int32Array(2 * n);
      s.tmpXYZ = new Float64Array(6 * n);
    }
    const tmpIds = s.tmpIds, tmpXYZ = s.tmpXYZ;
    tmpIds.set(itemIds.subarray(base + from, base + to));
    tmpXYZ.set(itemXYZ.subarray((base + from) * 3, (base + to) * 3));
    for (let i = 0; i < n; i++) {
      // The cell again from the position, now in cache (a point near a grid line reads it by id).
      const x = tmpXYZ[i * 3]!, y = tmpXYZ[i * 3 + 1]!, z = tmpXYZ[i * 3 + 2]!;
      const id = tmpIds[i]!;
      const ux = (x - lx) * sx, uy = (y - ly) * sy, uz = (z - lz) * sz;
      const cx = ux | 0, cy = uy | 0, cz = uz | 0;
      const fx = ux - cx, fy = uy - cy, fz = uz - cz;
      const c =
        fx < nx || fx > 1 - nx || fy < ny || fy > 1 - ny || fz < nz || fz > 1 - nz || cx >= grid || cy >= grid || cz >= grid
          ? keys[id]!
          : spread[cx]! | (spread[cy]! << 1) | (spread[cz]! << 2);
      const slot = base + fill[c]!++;
      const s3 = slot * 3;
      itemIds[slot] = id;
      itemXYZ[s3] = x;
      itemXYZ[s3 + 1] = y;
      itemXYZ[s3 + 2] = z;
      pointSlot[id] = slot;
    }
  }
  s.tmpIds = new Int32Array(0); // only the split phase needs the rest
  s.tmpXYZ = new Float64Array(0);
  pointLeaf.fill(0, 0, count);
  root[N_COUNT] = count;
  v.header[H_SIZE] = count;
  v.header[H_GENERATION]!++;
  s.gen = v.header[H_GENERATION]!;
  s.depth = depth;
  s.count = count;
  s.nodeCell[0] = 0;
  return true;
}

/**
 * Whether `leaf` (at `depth`) can be split from the prefix table: the load's sort is still valid
 * and the leaf's segment still holds one whole cell prefix in sorted order.
 */
export function sortedSplittable(s: BulkState, leaf: number, depth: number): boolean {
  return s.depth > 0 && depth < s.depth && s.nodeCell[leaf]! >= 0;
}

/** Points per child octant of a sorted leaf (in `perOctant`), from the prefix table. */
export function sortedOctants(s: BulkState, leaf: number, depth: number, perOctant: number[]): void {
  const span = 1 << (3 * (s.depth - depth - 1));
  const first = s.nodeCell[leaf]! * 8 * span;
  for (let o = 0; o < 8; o++) perOctant[o] = s.cellStart[first + (o + 1) * span]! - s.cellStart[first + o * span]!;
}

/** A cell → leaf table (-1: the cell's points are written per point), reusing the fill scratch. */
export function beginLeafByCell(s: BulkState): Int32Array {
  const cells = 1 << (3 * s.depth);
  const table = s.fill.subarray(0, cells);
  table.fill(-1);
  return table;
}

/** Marks the cells of a leaf split from the sort (at `depth` ≤ D). */
export function markCells(s: BulkState, table: Int32Array, leaf: number, depth: number): void {
  const span = 1 << (3 * (s.depth - depth));
  const first = s.nodeCell[leaf]! * span;
  table.fill(leaf, first, first + span);
}

/** Writes each loaded point's leaf from its cell, in id order (sequential stores). */
export function finishLeafByCell(s: BulkState, table: Int32Array, pointLeaf: Int32Array): void {
  const keys = s.keys;
  for (let id = 0; id < s.count; id++) {
    const leaf = table[keys[id]!]!;
    if (leaf >= 0) pointLeaf[id] = leaf;
  }
}

/** Drops the load's scratch (4 B per point and the 8^D tables) once the sort is spent. */
export function releaseBulk(s: BulkState): void {
  s.depth = 0;
  s.gen = -1;
  s.keys = s.fill = new Int32Array(0);
  s.cellStart = new Int32Array(1);
}
