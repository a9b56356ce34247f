/**
 * Box and radius queries: iterative depth-first descent with a preallocated stack. A leaf fully
 * inside the query emits its ids without testing points; a leaf on the edge tests each point,
 * reading positions in slot order (contiguous with the ids).
 * Read-only: safe from any thread while the writer is not mutating.
 */
import { BOX_SIZE, LEAF, N_CHILD, N_COUNT, N_START, NODE_INTS, type OctreeViews } from './layout.js';

/** Writes up to out.length ids of points in the closed box; returns how many there are. */
export function queryBox(
  v: OctreeViews,
  stack: Int32Array,
  minX: number,
  minY: number,
  minZ: number,
  maxX: number,
  maxY: number,
  maxZ: number,
  out: Int32Array,
): number {
  const ni = v.nodeInt;
  const box = v.nodeBox;
  const ids = v.itemIds;
  const xyz = v.itemXYZ;
  const cap = out.length;
  let found = 0;
  let top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top]!;
    const b = node * BOX_SIZE;
    const lx = box[b]!, ly = box[b + 1]!, lz = box[b + 2]!;
    const hx = box[b + 3]!, hy = box[b + 4]!, hz = box[b + 5]!;
    // Points lie in [lo, hi): disjoint when the query ends below lo or starts at or above hi.
    if (maxX < lx || maxY < ly || maxZ < lz || minX >= hx || minY >= hy || minZ >= hz) continue;
    const base = node * NODE_INTS;
    const child = ni[base + N_CHILD]!;
    if (child !== LEAF) {
      for (let c = 0; c < 8; c++) stack[top++] = child + c;
      continue;
    }
    const start = ni[base + N_START]!;
    const end = start + ni[base + N_COUNT]!;
    if (minX <= lx && minY <= ly && minZ <= lz && hx <= maxX && hy <= maxY && hz <= maxZ) {
      for (let k = start; k < end; k++) {
        if (found < cap) out[found] = ids[k]!;
        found++;
      }
      continue;
    }
    for (let k = start; k < end; k++) {
      const s = k * 3;
      const x = xyz[s]!, y = xyz[s + 1]!, z = xyz[s + 2]!;
      if (x >= minX && x <= maxX && y >= minY && y <= maxY && z >= minZ && z <= maxZ) {
        if (found < cap) out[found] = ids[k]!;
        found++;
      }
    }
  }
  return found;
}

/** Writes up to out.length ids of points with dx²+dy²+dz² ≤ r²; returns how many there are. */
export function queryRadius(v: OctreeViews, stack: Int32Array, cx: number, cy: number, cz: number, r: number, out: Int32Array): number {
  const ni = v.nodeInt;
  const box = v.nodeBox;
  const ids = v.itemIds;
  const xyz = v.itemXYZ;
  const cap = out.length;
  const r2 = r * r;
  let found = 0;
  let top = 0;
  if (!(r >= 0)) return 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top]!;
    const b = node * BOX_SIZE;
    const lx = box[b]!, ly = box[b + 1]!, lz = box[b + 2]!;
    const hx = box[b + 3]!, hy = box[b + 4]!, hz = box[b + 5]!;
    // Nearest point of the box (floating-point rounding is monotonic, so no point inside is nearer).
    const dx = cx < lx ? lx - cx : cx > hx ? cx - hx : 0;
    const dy = cy < ly ? ly - cy : cy > hy ? cy - hy : 0;
    const dz = cz < lz ? lz - cz : cz > hz ? cz - hz : 0;
    if (dx * dx + dy * dy + dz * dz > r2) continue;
    const base = node * NODE_INTS;
    const child = ni[base + N_CHILD]!;
    if (child !== LEAF) {
      for (let c = 0; c < 8; c++) stack[top++] = child + c;
      continue;
    }
    const start = ni[base + N_START]!;
    const end = start + ni[base + N_COUNT]!;
    // Farthest corner inside the ball ⇒ every point is.
    const fx = Math.max(cx - lx, hx - cx);
    const fy = Math.max(cy - ly, hy - cy);
    const fz = Math.max(cz - lz, hz - cz);
    if (fx * fx + fy * fy + fz * fz <= r2) {
      for (let k = start; k < end; k++) {
        if (found < cap) out[found] = ids[k]!;
        found++;
      }
      continue;
    }
    for (let k = start; k < end; k++) {
      const s = k * 3;
      const ex = xyz[s]! - cx, ey = xyz[s + 1]! - cy, ez = xyz[s + 2]! - cz;
      if (ex * ex + ey * ey + ez * ez <= r2) {
        if (found < cap) out[found] = ids[k]!;
        found++;
      }
    }
  }
  return found;
}
