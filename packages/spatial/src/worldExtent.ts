/**
 * The world box an octree strategy derives from its actors when the program gives none ("auto"):
 * the extent of the live actors' finite positions, padded.
 */
import type { KindStore } from '@concurrengine/actors';
import type { Vec3Tuple } from '@concurrengine/octree';

/** The live actors' extent, padded by `pad` × its largest side (at least 1) on every face. */
export function extentOf(stores: readonly KindStore[], columns: readonly number[], pad = 0.25): { min: Vec3Tuple; max: Vec3Tuple } {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  stores.forEach((store, k) => {
    const column = columns[k]!;
    if (column < 0) return;
    for (let p = 0; p < store.usedPages; p++) {
      const page = store.page(p);
      const xyz = page.columns[column]!;
      const end = Math.min(store.layout.pageSize, store.highWater - p * store.layout.pageSize);
      for (let o = 0; o < end; o++) {
        if (page.alive[o] !== 1) continue;
        for (let a = 0; a < 3; a++) {
          const v = xyz[o * 3 + a]!;
          if (!Number.isFinite(v)) continue;
          if (v < lo[a]!) lo[a] = v;
          if (v > hi[a]!) hi[a] = v;
        }
      }
    }
  });
  for (let a = 0; a < 3; a++) {
    if (lo[a]! <= hi[a]!) continue;
    lo[a] = 0; // no finite position on this axis: a box around the origin
    hi[a] = 0;
  }
  const room = Math.max(1, pad * Math.max(hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!));
  return { min: [lo[0]! - room, lo[1]! - room, lo[2]! - room], max: [hi[0]! + room, hi[1]! + room, hi[2]! + room] };
}
