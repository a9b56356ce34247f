/**
 * Point updates: descend to a leaf, insert, remove, move (the bulk `update` is in update.ts).
 * Writer thread only.
 */
import { OctreeError } from './errors.js';
import {
  BOX_SIZE,
  F_MAX,
  F_MIN,
  H_GENERATION,
  H_OUT_OF_BOUNDS,
  H_SIZE,
  LEAF,
  N_CHILD,
  N_COUNT,
  NODE_INTS,
  type OctreeViews,
} from './layout.js';
import { append, removeAt } from './segments.js';

/** The leaf whose box holds (x, y, z); the point must be inside the world box. */
export function leafFor(v: OctreeViews, x: number, y: number, z: number): number {
  const ni = v.nodeInt;
  const box = v.nodeBox;
  let node = 0;
  let child = ni[N_CHILD]!;
  while (child !== LEAF) {
    // The upper child (index 7) starts at the node's midpoint on every axis.
    const mid = (child + 7) * BOX_SIZE;
    node = child + (x >= box[mid]! ? 1 : 0) + (y >= box[mid + 1]! ? 2 : 0) + (z >= box[mid + 2]! ? 4 : 0);
    child = ni[node * NODE_INTS + N_CHILD]!;
  }
  return node;
}

/** Scratch for one clamped position. */
export const clamped = new Float64Array(3);

/**
 * Checks (x, y, z) against the world box; under the clamp policy writes the clamped position to
 * `clamped`, else throws. Returns whether the position changed.
 */
export function checkBounds(v: OctreeViews, id: number, x: number, y: number, z: number): boolean {
  const p = v.params;
  if (x >= p[F_MIN]! && x <= p[F_MAX]! && y >= p[F_MIN + 1]! && y <= p[F_MAX + 1]! && z >= p[F_MIN + 2]! && z <= p[F_MAX + 2]!) return false;
  if (v.header[H_OUT_OF_BOUNDS] === 1 && !Number.isNaN(x) && !Number.isNaN(y) && !Number.isNaN(z)) {
    clamped[0] = Math.min(Math.max(x, p[F_MIN]!), p[F_MAX]!);
    clamped[1] = Math.min(Math.max(y, p[F_MIN + 1]!), p[F_MAX + 1]!);
    clamped[2] = Math.min(Math.max(z, p[F_MIN + 2]!), p[F_MAX + 2]!);
    return true;
  }
  throw new OctreeError(
    'OCTREE_OUT_OF_BOUNDS',
    `point ${id} at (${x}, ${y}, ${z}) is outside the world box [${p[F_MIN]}, ${p[F_MAX]}] × [${p[F_MIN + 1]}, ${p[F_MAX + 1]}] × [${p[F_MIN + 2]}, ${p[F_MAX + 2]}]`,
  );
}

/** Checks that `id` is a valid point id. */
export function checkId(v: OctreeViews, id: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= v.pointLeaf.length) {
    throw new OctreeError('OCTREE_INVALID_ARGUMENT', `point id must be an integer in [0, ${v.pointLeaf.length}), got ${id}`);
  }
}

export function insertPoint(v: OctreeViews, id: number, x: number, y: number, z: number): void {
  checkId(v, id);
  if (v.pointLeaf[id] !== -1) throw new OctreeError('OCTREE_DUPLICATE_ID', `point ${id} is already in the index`);
  if (checkBounds(v, id, x, y, z)) {
    x = clamped[0]!;
    y = clamped[1]!;
    z = clamped[2]!;
  }
  append(v, leafFor(v, x, y, z), id, x, y, z);
  v.header[H_SIZE]!++;
  v.header[H_GENERATION]!++;
}

export function removePoint(v: OctreeViews, id: number): boolean {
  checkId(v, id);
  const leaf = v.pointLeaf[id]!;
  if (leaf === -1) return false;
  removeAt(v, leaf, v.pointSlot[id]!);
  v.pointLeaf[id] = -1;
  v.header[H_SIZE]!--;
  v.header[H_GENERATION]!++;
  return true;
}

/** Moves a point already known to be in the index and inside the world box. */
export function relink(v: OctreeViews, id: number, x: number, y: number, z: number): void {
  const leaf = v.pointLeaf[id]!;
  const box = v.nodeBox;
  const b = leaf * BOX_SIZE;
  if (x >= box[b]! && x < box[b + 3]! && y >= box[b + 1]! && y < box[b + 4]! && z >= box[b + 2]! && z < box[b + 5]!) {
    const s = v.pointSlot[id]! * 3;
    v.itemXYZ[s] = x;
    v.itemXYZ[s + 1] = y;
    v.itemXYZ[s + 2] = z;
    return;
  }
  removeAt(v, leaf, v.pointSlot[id]!);
  append(v, leafFor(v, x, y, z), id, x, y, z);
}

export function movePoint(v: OctreeViews, id: number, x: number, y: number, z: number): void {
  checkId(v, id);
  if (v.pointLeaf[id] === -1) throw new OctreeError('OCTREE_UNKNOWN_ID', `point ${id} is not in the index`);
  if (checkBounds(v, id, x, y, z)) {
    x = clamped[0]!;
    y = clamped[1]!;
    z = clamped[2]!;
  }
  relink(v, id, x, y, z);
  v.header[H_GENERATION]!++;
}
