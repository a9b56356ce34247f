/**
 * A lookup table from a uniform grid over the world box to the tree: cell (Morton order, 2^L per
 * axis) → the node of depth ≤ L whose box holds it, so `update` finds a point's leaf with a few
 * multiplies and one read instead of a box read or a descent. Writer-side only (not in the buffer):
 * rebuilt after the tree's shape changed.
 *
 * A quantised coordinate can disagree with the exact split planes (`lo/2 + hi/2`, rounded at each
 * level) only within rounding error of a grid line; `cellOf` answers -1 for points closer to a grid
 * line than 16 ulps of the world's coordinates plus 1e-9 of a cell (as keys.ts), and the caller
 * takes the exact path. Entries of nodes that are not leaves (leaves deeper than L) are stored as
 * `~node`.
 */
import { LEAF, N_CHILD, N_DEPTH, NODE_INTS, type OctreeViews } from './layout.js';

/** Deepest table level: 8^6 cells, 1 MiB, stays in L2 (at 8^7 the 8 MiB table missed cache). */
const MAX_LEVEL = 6;

/** spread[i] = the bits of i moved to every third bit (i < 2^MAX_LEVEL). */
export const SPREAD = new Int32Array(1 << MAX_LEVEL);
for (let i = 0; i < SPREAD.length; i++) {
  let s = 0;
  for (let b = 0; b < MAX_LEVEL; b++) s |= ((i >> b) & 1) << (3 * b);
  SPREAD[i] = s;
}

export interface CellTable {
  /** The writer's shape counter this table was built for (-1: never built). */
  stamp: number;
  /** Cells per axis, 2^L. */
  grid: number;
  /** cell → leaf node, or ~node for a node at depth L that has children. */
  table: Int32Array;
  /** World box lower corner and cells per unit, per axis. */
  readonly lo: Float64Array;
  readonly scale: Float64Array;
  /** Margin, in cells, per axis. */
  readonly near: Float64Array;
}

export function createCellTable(): CellTable {
  return { stamp: -1, grid: 1, table: new Int32Array(1), lo: new Float64Array(3), scale: new Float64Array(3), near: new Float64Array(3) };
}

/** Rebuilds `t` for the tree's current shape. */
export function buildCellTable(v: OctreeViews, t: CellTable, stamp: number): void {
  const ni = v.nodeInt;
  const box = v.nodeBox;
  let level = 0;
  const stack: number[] = [0];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const child = ni[node * NODE_INTS + N_CHILD]!;
    if (child === LEAF) level = Math.max(level, ni[node * NODE_INTS + N_DEPTH]!);
    else if (ni[node * NODE_INTS + N_DEPTH]! < MAX_LEVEL) for (let c = 0; c < 8; c++) stack.push(child + c);
    else level = MAX_LEVEL;
  }
  const cells = 1 << (3 * level);
  if (t.table.length !== cells) t.table = new Int32Array(cells);
  t.grid = 1 << level;
  for (let a = 0; a < 3; a++) {
    const lo = box[a]!, hi = box[3 + a]!; // the root's box: [min, nextUp(max))
    t.lo[a] = lo;
    t.scale[a] = t.grid / (hi - lo);
    t.near[a] = 16 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi)) * t.scale[a]! + 1e-9;
  }
  // Depth-first with each node's first cell: a node at depth d covers 8^(level-d) consecutive cells.
  const nodes: number[] = [0];
  const firsts: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const first = firsts.pop()!;
    const base = node * NODE_INTS;
    const child = ni[base + N_CHILD]!;
    const depth = ni[base + N_DEPTH]!;
    const span = 1 << (3 * (level - depth));
    if (child === LEAF || depth === level) {
      t.table.fill(child === LEAF ? node : ~node, first, first + span);
      continue;
    }
    for (let c = 0; c < 8; c++) {
      nodes.push(child + c);
      firsts.push(first + (c * span) / 8);
    }
  }
  t.stamp = stamp;
}
