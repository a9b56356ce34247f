/**
 * The per-point half of a split update, for any thread. `update()` reads every indexed point's
 * position on the writer's thread; a caller that owns many threads can instead hand disjoint id
 * ranges to them: each `OctreeRangePass.pass` stores the new position of every point still inside
 * its leaf — in the point's own slot of the *back* copy of the positions, so disjoint ranges never
 * write the same memory and queries, which read the front copy, go on seeing the old positions
 * meanwhile — and lists the points that left their leaf. The writer then swaps the copies and
 * re-buckets only the listed points with `Octree.updateListed` — O(listed) on its thread instead
 * of O(points). Every indexed id must have been passed before that call (an id passed by no
 * range would show its back copy's stale position).
 *
 * While passes run, the writer must not mutate the tree (it would move slots under the passes);
 * queries may run.
 */
import { BOX_SIZE, H_FRONT, type OctreeViews } from './layout.js';
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
   * has its position stored in the back copy; any other (NaN included) is written to `listed[at++]`.
   * @returns the new `at`. `listed` needs room for `count` more ids.
   */
  pass(xyz: Float64Array, firstId: number, count: number, listed: Int32Array, at: number): number {
    const { pointLeaf: leafOf, pointSlot: slotOf, nodeBox: box } = this.v;
    const stored = this.v.itemXYZPair[(this.v.header[H_FRONT]! & 1) ^ 1]!;
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
