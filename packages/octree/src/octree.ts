/**
 * The octree's interfaces: `SpatialIndex` is the read side any thread may hold (the engine's
 * neighbour queries need nothing else); `Octree` adds the writer's operations and the adaptive
 * partitions. Points are integer ids in [0, capacity) (the engine's actor slots).
 */
import type { ChunkedPositions } from './positionChunks.js';

/** A point as three numbers. */
export type Vec3Tuple = readonly [x: number, y: number, z: number];

/**
 * Read-only queries. Safe from any number of threads at once while nobody updates the index.
 * Boxes are closed (`min ≤ p ≤ max` per axis), balls are closed (`dx²+dy²+dz² ≤ r²`, computed in
 * that order, in doubles), so a linear scan with the same formulas returns the same set.
 */
export interface SpatialIndex {
  /** Points in the index. */
  readonly size: number;
  /**
   * Ids of the points in the box, written into `out` (in no particular order).
   * @returns how many points are in the box; only the first `out.length` of them are written.
   */
  queryBoxInto(minX: number, minY: number, minZ: number, maxX: number, maxY: number, maxZ: number, out: Int32Array): number;
  /** Ids of the points within `radius` of the centre, as `queryBoxInto`. */
  queryRadiusInto(x: number, y: number, z: number, radius: number, out: Int32Array): number;
  /**
   * The `min(k, out.length)` points nearest to the centre, nearest first (ties in any order),
   * only those within `maxDistance` (default: any distance).
   * @returns how many ids were written.
   */
  nearestInto(x: number, y: number, z: number, k: number, out: Int32Array, maxDistance?: number): number;
  /** Allocating variants of the three queries above, for tests and cold paths. */
  queryBox(minX: number, minY: number, minZ: number, maxX: number, maxY: number, maxZ: number): number[];
  queryRadius(x: number, y: number, z: number, radius: number): number[];
  nearest(x: number, y: number, z: number, k: number, maxDistance?: number): number[];
  /** Whether `id` is in the index. */
  has(id: number): boolean;
  /** Writes the stored position of `id` into `out[0..2]`; false when `id` is not in the index. */
  positionInto(id: number, out: Float64Array | number[]): boolean;
}

/** One leaf of the octree as a scheduling unit; fits telemetry's `PartitionStats` as is. */
export interface OctreePartition {
  /** Stable partition id: unchanged until the leaf splits or merges. */
  readonly id: number;
  /** Points in the leaf. */
  readonly actors: number;
  /** The leaf's heat: the last fed-back cost, or its point count when none was fed. */
  readonly heat: number;
  /** Lower corner of the leaf's box (inclusive). */
  readonly min: Vec3Tuple;
  /** Upper corner (exclusive, except on the world box's upper faces). */
  readonly max: Vec3Tuple;
  /** The leaf's point ids are `octree.ids[start .. start + actors)` until the next update. */
  readonly start: number;
  /** Depth of the leaf (the root is 0). */
  readonly depth: number;
}

/** What `rebalance()` did: which partition ids became which. */
export type PartitionEvent =
  | { readonly type: 'split'; readonly from: number; readonly into: readonly number[] }
  | { readonly type: 'merge'; readonly from: readonly number[]; readonly into: number };

/**
 * The writer: owned by one thread, which must not mutate while readers query.
 * The adaptive part: leaves whose load exceeds `splitAbove` split into 8; 8 sibling leaves whose
 * total load falls below `mergeBelow` merge (`mergeBelow < splitAbove`, so no flapping).
 */
export interface Octree extends SpatialIndex {
  /** The buffer to hand to `octreeFrom` in another thread (shared by default). */
  readonly buffer: ArrayBufferLike;
  /** Point ids in leaf order: a partition's ids are `ids.subarray(start, start + actors)`. */
  readonly ids: Int32Array;
  /** Number of leaves (partitions). */
  readonly partitionCount: number;
  /** @throws OctreeError OCTREE_DUPLICATE_ID, OCTREE_OUT_OF_BOUNDS, OCTREE_INVALID_ARGUMENT */
  insert(id: number, x: number, y: number, z: number): void;
  /** Inserts ids `0 .. count-1` (or the ids given) at `positions[3·id ..]`. */
  insertMany(positions: Float64Array, count: number, ids?: Int32Array): void;
  /** @throws OctreeError OCTREE_UNKNOWN_ID, OCTREE_OUT_OF_BOUNDS */
  move(id: number, x: number, y: number, z: number): void;
  /** @returns false when `id` was not in the index. */
  remove(id: number): boolean;
  /**
   * Reads every indexed point's position from `positions[3·id .. 3·id+2]` — or, from storage
   * kept in equal chunks, `chunks[id >> shift][3·(id & (2^shift − 1)) ..]` — and re-buckets only
   * the points that left their leaf. With `evict`, a point whose new position is outside the
   * world box (or NaN) leaves the index and is reported to it instead of being thrown about or
   * clamped — a caller that keeps such points elsewhere need not check every position itself.
   * Without it, on OCTREE_OUT_OF_BOUNDS no point has changed leaf (points that stayed in their
   * leaf already hold their new positions).
   * @returns how many points changed leaf (evicted ones included).
   */
  update(positions: Float64Array | ChunkedPositions, evict?: (id: number, x: number, y: number, z: number) => void): number;
  /**
   * The writer's half of a split update: after `OctreeRangePass.pass` ran over every indexed id
   * (in any threads; they stored the other points' new positions in the back copy) and listed
   * the points that left their leaf, makes the back copy the one queries read and re-buckets the
   * listed points — positions, `evict` and the result as `update`. Listed ids not in the index
   * are skipped. Every indexed id must have been passed, and the writer must not mutate the tree
   * between the passes and this call; queries may run until it (they see the old positions).
   * @example
   * // in each worker, for its own ids:  at = pass.pass(xyz, firstId, count, listed, at)
   * tree.updateListed(positions, listed, total, evict);
   */
  updateListed(positions: Float64Array | ChunkedPositions, listed: Int32Array, count: number, evict?: (id: number, x: number, y: number, z: number) => void): number;
  /**
   * Follows the caller's renumbering of its points: every indexed id `i` becomes `newIdOf[i]`
   * (ids not in the index are ignored). Leaves, slots, partition ids, heats and stored positions
   * do not change; `ids` then lists the new ids in the same leaf order. O(capacity + points).
   * Bumps the generation like any mutation.
   * @throws OctreeError OCTREE_INVALID_ARGUMENT, before changing anything, when an indexed id has
   * no entry, a new id is outside [0, capacity), or two indexed ids map to the same new id.
   * @example
   * const order = mortonOrder(positions, liveIds, n, bounds);
   * for (let r = 0; r < n; r++) newIdOf[order[r]] = r; // move the points' data to rank r, then:
   * tree.renumber(newIdOf);
   */
  renumber(newIdOf: Int32Array): void;
  /**
   * `renumber` for a few ids: id `from[k]` becomes `to[k]` (k < count), every other id stays.
   * O(count + capacity / 32) — for a caller that moves a bounded window of its points at a time.
   * @throws OctreeError OCTREE_INVALID_ARGUMENT, before changing anything, when a new id is outside
   * [0, capacity), is named twice, or is held by an indexed id that does not move.
   */
  renumberSome(from: Int32Array, to: Int32Array, count: number): void;
  /** Splits leaves above the high-water mark and merges siblings below the low-water mark. */
  rebalance(): PartitionEvent[];
  /** Feeds back a measured cost for a partition (used as load in `load: 'heat'` mode). */
  setHeat(partitionId: number, heat: number): boolean;
  /** The partition holding `id`, or -1. */
  partitionOf(id: number): number;
  /** Every leaf, in depth-first order (neighbouring partitions are near each other). */
  partitions(): OctreePartition[];
  /**
   * Where partition `partitionId`'s ids lie in `ids` now: writes its `start` and `actors` to
   * `out[0]`, `out[1]` and returns true, or returns false when no leaf has that id any more (it
   * split or merged). O(1) and allocation-free, for a caller that walks a few partitions of a
   * `partitions()` list taken ticks earlier, while updates move ids between slots.
   */
  partitionSpan(partitionId: number, out: Int32Array): boolean;
  /** Removes every point and merges back to a single leaf (capacities stay). */
  clear(): void;
}
