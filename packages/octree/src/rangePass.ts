/**
 * The per-point half of a split update, for any thread. `update()` reads every indexed point's
 * position on the writer's thread; a caller that owns many threads can instead hand disjoint id
 * ranges to them: each `OctreeRangePass.pass` stores the new position of every point still inside
 * its leaf (in the point's own slot, so disjoint ranges never write the same memory) and lists
 * the points that left their leaf. The writer then re-buckets only those with
 * `Octree.updateListed` — O(listed) on its thread instead of O(points).
 *
 * While passes run, nothing else may use the tree: queries would see a mix of old and new
 * positions, and a writer's mutation would move slots under the passes.
 */
import { BOX_SIZE, type OctreeViews } from './layout.js';
import { checkedViews } from './octreeReader.js';

export class OctreeRangePass {
  private readonly v: OctreeViews;

  /** @throws OctreeError OCTREE_BAD_BUFFER when the buffer is not an octree of this format version. */
  constructor(buffer: ArrayBufferLike) {
    this.v = checkedViews(buffer);
  }

  /**
   * Points `firstId .. firstId + count − 1`, at `xyz[3·(id − firstId) ..]`: ids not in the index
   * are skipped; a point inside its leaf's box (lower faces closed, upper open, as `update`)
   * has its stored position replaced; any other (NaN included) is written to `listed[at++]`.
   * @returns the new `at`. `listed` needs room for `count` more ids.
   */
  pass(xyz: Float64Array, firstId: number, count: number, listed: Int32Array, at: number): number {
    const { pointLeaf: leafOf, pointSlot: slotOf, nodeBox: box, itemXYZ: stored } = this.v;
    const end = Math.min(firstId + count, leafOf.length);
    for (let id = firstId; id < end; id++) {
      const leaf = leafOf[id]!;
      if (leaf < 0) continue;
      const p = (id - firstId) * 3;
      const x = xyz[p]!, y = xyz[p + 1]!, z = xyz[p + 2]!;
      const b = leaf * BOX_SIZE;
      if (x >= box[b]! && x < box[b + 3]! && y >= box[b + 1]! && y < box[b + 4]! && z >= box[b + 2]! && z < box[b + 5]!) {
        const s = slotOf[id]! * 3;
        stored[s] = x;
        stored[s + 1] = y;
        stored[s + 2] = z;
      } else listed[at++] = id;
    }
    return at;
  }
}
