/**
 * `updateListed`: the writer's side of the split update, after `OctreeRangePass` (rangePass.ts)
 * ran over every indexed id. Writer thread only.
 */
import { OctreeError } from './errors.js';
import { BOX_SIZE, H_GENERATION, swapXYZ, type OctreeViews } from './layout.js';
import { positionChunks, type ChunkedPositions } from './positionChunks.js';
import { removeAt } from './segments.js';
import { grow, listLeaves, placeNoted, type EvictedPoint, type UpdateScratch } from './update.js';

/**
 * The writer's half of a split update (rangePass.ts holds the other): the points `OctreeRangePass` listed as
 * having left their leaf — and only those — are taken out of their leaves and placed like
 * `updateAll`'s movers. Listed ids no longer in the index (removed since the pass) are skipped;
 * a listed point found back inside its leaf just stores its position. O(listed), unless so many
 * moved that every leaf is laid out again.
 */
export function updateListed(v: OctreeViews, positions: Float64Array | ChunkedPositions, listed: Int32Array, count: number, scratch: UpdateScratch, shape: number, evict?: EvictedPoint): number {
  const { chunks, shift, ids: covered } = positionChunks(positions);
  const n = Math.min(v.pointLeaf.length, covered);
  // The passes stored every point that stayed in its leaf in the back copy: it becomes the front.
  // A listed point's old position is in the copy that was the front until now.
  const previous = v.itemXYZ;
  swapXYZ(v);
  v.header[H_GENERATION]!++;
  if (scratch.leafStamp !== shape) listLeaves(v, scratch, shape);
  if (count > scratch.moved.length) grow(scratch, count);
  const mask = 2 ** shift - 1;
  const leafOf = v.pointLeaf;
  const slotOf = v.pointSlot;
  const box = v.nodeBox;
  const xyz = v.itemXYZ;
  let m = 0;
  for (let i = 0; i < count; i++) {
    const id = listed[i]!;
    if (!(id >= 0 && id < n)) {
      if (id >= 0 && id < leafOf.length && leafOf[id] === -1) continue;
      throw new OctreeError('OCTREE_INVALID_ARGUMENT', `listed point ${id} is outside the ids the positions cover (${n})`);
    }
    const leaf = leafOf[id]!;
    if (leaf === -1) continue;
    const chunk = chunks[id >> shift]!;
    const p = (id & mask) * 3;
    const x = chunk[p]!, y = chunk[p + 1]!, z = chunk[p + 2]!;
    const s = slotOf[id]!;
    const b = leaf * BOX_SIZE;
    if (x >= box[b]! && x < box[b + 3]! && y >= box[b + 1]! && y < box[b + 4]! && z >= box[b + 2]! && z < box[b + 5]!) {
      xyz[s * 3] = x;
      xyz[s * 3 + 1] = y;
      xyz[s * 3 + 2] = z;
      continue;
    }
    const q = m * 6;
    const mx = scratch.movedXYZ;
    mx[q] = previous[s * 3]!;
    mx[q + 1] = previous[s * 3 + 1]!;
    mx[q + 2] = previous[s * 3 + 2]!;
    mx[q + 3] = x;
    mx[q + 4] = y;
    mx[q + 5] = z;
    scratch.moved[m] = id;
    scratch.movedFrom[m] = leaf;
    m++;
  }
  // Out of their leaves only now: each removal moves another point's slot, and the old positions
  // above were read by slot from the previous copy, which removals do not follow.
  for (let i = 0; i < m; i++) {
    const id = scratch.moved[i]!;
    removeAt(v, leafOf[id]!, slotOf[id]!);
  }
  if (m > 0) placeNoted(v, chunks, shift, n, scratch, shape, m, evict);
  return m;
}
