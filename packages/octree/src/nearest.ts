/**
 * k-nearest neighbours, best-first: a min-heap of nodes by box distance and a max-heap of the k
 * best points so far; stops when the nearest unvisited node is farther than the k-th best point.
 * Both heaps are preallocated per reader (the point heap grows with the largest k asked for).
 */
import { BOX_SIZE, LEAF, N_CHILD, N_COUNT, N_START, NODE_INTS, type OctreeViews } from './layout.js';

/** Preallocated heaps of one reader. */
export class NearestScratch {
  /** The node heap, allocated on the first query (12 B per node slot: most readers never ask). */
  nodeKey = new Float64Array(0);
  nodeVal = new Int32Array(0);
  bestKey = new Float64Array(16);
  bestVal = new Int32Array(16);
  readonly maxNodes: number;
  constructor(maxNodes: number) {
    this.maxNodes = maxNodes;
  }
}

function boxDistance2(box: Float64Array, node: number, cx: number, cy: number, cz: number): number {
  const b = node * BOX_SIZE;
  const dx = cx < box[b]! ? box[b]! - cx : cx > box[b + 3]! ? cx - box[b + 3]! : 0;
  const dy = cy < box[b + 1]! ? box[b + 1]! - cy : cy > box[b + 4]! ? cy - box[b + 4]! : 0;
  const dz = cz < box[b + 2]! ? box[b + 2]! - cz : cz > box[b + 5]! ? cz - box[b + 5]! : 0;
  return dx * dx + dy * dy + dz * dz;
}

/** Writes the ids of the min(k, out.length) nearest points within maxDistance, nearest first. */
export function nearest(
  v: OctreeViews,
  s: NearestScratch,
  cx: number,
  cy: number,
  cz: number,
  k: number,
  out: Int32Array,
  maxDistance: number,
): number {
  k = Math.min(Math.floor(k), out.length);
  if (!(k > 0)) return 0;
  if (s.bestKey.length < k) {
    s.bestKey = new Float64Array(k);
    s.bestVal = new Int32Array(k);
  }
  const ni = v.nodeInt;
  const box = v.nodeBox;
  const xyz = v.itemXYZ;
  const ids = v.itemIds;
  if (s.nodeKey.length === 0) {
    s.nodeKey = new Float64Array(s.maxNodes);
    s.nodeVal = new Int32Array(s.maxNodes);
  }
  const nk = s.nodeKey, nv = s.nodeVal, bk = s.bestKey, bv = s.bestVal;
  const limit = maxDistance * maxDistance;
  let nodes = 0;
  let best = 0;
  nk[0] = boxDistance2(box, 0, cx, cy, cz);
  nv[0] = 0;
  nodes = 1;
  while (nodes > 0) {
    const d = nk[0]!;
    const node = nv[0]!;
    // Pop the min node: move the last entry to the root and sift it down.
    nodes--;
    if (nodes > 0) {
      const key = nk[nodes]!, val = nv[nodes]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= nodes) break;
        if (c + 1 < nodes && nk[c + 1]! < nk[c]!) c++;
        if (nk[c]! >= key) break;
        nk[i] = nk[c]!;
        nv[i] = nv[c]!;
        i = c;
      }
      nk[i] = key;
      nv[i] = val;
    }
    if (d > limit || (best === k && d >= bk[0]!)) break;
    const base = node * NODE_INTS;
    const child = ni[base + N_CHILD]!;
    if (child !== LEAF) {
      for (let c = child; c < child + 8; c++) {
        const cd = boxDistance2(box, c, cx, cy, cz);
        if (cd > limit || (best === k && cd >= bk[0]!)) continue;
        let i = nodes++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (nk[p]! <= cd) break;
          nk[i] = nk[p]!;
          nv[i] = nv[p]!;
          i = p;
        }
        nk[i] = cd;
        nv[i] = c;
      }
      continue;
    }
    const start = ni[base + N_START]!;
    const end = start + ni[base + N_COUNT]!;
    for (let j = start; j < end; j++) {
      const id = ids[j]!;
      const ex = xyz[j * 3]! - cx, ey = xyz[j * 3 + 1]! - cy, ez = xyz[j * 3 + 2]! - cz;
      const pd = ex * ex + ey * ey + ez * ez;
      if (pd > limit) continue;
      if (best < k) {
        // Push into the max-heap.
        let i = best++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (bk[p]! >= pd) break;
          bk[i] = bk[p]!;
          bv[i] = bv[p]!;
          i = p;
        }
        bk[i] = pd;
        bv[i] = id;
      } else if (pd < bk[0]!) {
        // Replace the max and sift down.
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= best) break;
          if (c + 1 < best && bk[c + 1]! > bk[c]!) c++;
          if (bk[c]! <= pd) break;
          bk[i] = bk[c]!;
          bv[i] = bv[c]!;
          i = c;
        }
        bk[i] = pd;
        bv[i] = id;
      }
    }
  }
  // Pop the max-heap from the back of `out`, so the nearest ends up first.
  const found = best;
  while (best > 0) {
    out[best - 1] = bv[0]!;
    best--;
    const key = bk[best]!, val = bv[best]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= best) break;
      if (c + 1 < best && bk[c + 1]! > bk[c]!) c++;
      if (bk[c]! <= key) break;
      bk[i] = bk[c]!;
      bv[i] = bv[c]!;
      i = c;
    }
    bk[i] = key;
    bv[i] = val;
  }
  return found;
}
