/**
 * The octree's memory: one `ArrayBuffer` or `SharedArrayBuffer` behind a versioned header
 * (kdbush / flatbush style), so `octreeFrom(buffer)` can rebuild a reader in any thread.
 *
 *   header     Int32 words 0..15, Float64 words at byte 64: world box and thresholds
 *   nodeBox    Float64 × 6 per node: lo x,y,z, hi x,y,z — half-open [lo, hi) per axis
 *   nodeHeat   Float64 per node: the leaf's heat (load in `heat` mode)
 *   nodeInt    Int32 × NODE_INTS per node (N_* below)
 *   itemIds    Int32 per item slot: the point id in that slot
 *   itemXYZ    Float64 × 3 per item slot, twice: the position (as of the last update) of the point
 *              in that slot, so a leaf's points and positions are contiguous and queries scan
 *              memory in order (v1 kept them by id: one random read per candidate). Two copies
 *              (v3): queries read the front one (header word H_FRONT) while `OctreeRangePass`
 *              writes the next positions into the back one; `updateListed` swaps them.
 *   pointLeaf  Int32 per point id: its leaf node, or -1 when the id is not in the index
 *   pointSlot  Int32 per point id: its item slot
 *
 * Capacities are fixed at creation, so the buffer is never replaced and readers attach once.
 * Only the writer thread writes any of it, and only while no reader is querying.
 */

/** Identifies an octree buffer ("OCT1"). */
export const MAGIC = 0x4f435431;
/** Bumped on any layout change; `octreeFrom` refuses other versions. */
export const FORMAT_VERSION = 3;

export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_CAPACITY = 2;
export const H_MAX_NODES = 3;
export const H_ITEM_CAPACITY = 4;
/** Node slots ever handed out (node 0 is the root; children come in blocks of 8). */
export const H_NODE_HIGH = 5;
/** First node of the first free 8-block, or -1. */
export const H_FREE_BLOCK = 6;
/** Number of points in the index. */
export const H_SIZE = 7;
/** First item slot never handed out (segments are bump-allocated, then compacted). */
export const H_BUMP = 8;
export const H_LEAVES = 9;
export const H_NEXT_PARTITION = 10;
export const H_MAX_DEPTH = 11;
/** 0 = load is the point count, 1 = load is the fed-back heat. */
export const H_LOAD_MODE = 12;
/** 0 = throw OCTREE_OUT_OF_BOUNDS, 1 = clamp onto the world box. */
export const H_OUT_OF_BOUNDS = 13;
/** Bumped by every mutating call; lets a reader notice that it looked at a moving target. */
export const H_GENERATION = 14;
/** Which of the two item position copies queries read (0 or 1); the other is the passes' back copy. */
export const H_FRONT = 15;
export const HEADER_INTS = 16;

/** Float64 header words (at byte HEADER_INTS × 4). */
export const F_MIN = 0; // x, y, z at 0..2
export const F_MAX = 3; // x, y, z at 3..5
export const F_SPLIT_ABOVE = 6;
export const F_MERGE_BELOW = 7;
export const HEADER_FLOATS = 8;
const HEADER_BYTES = HEADER_INTS * 4 + HEADER_FLOATS * 8;

/** Float64 words per node in `nodeBox`. */
export const BOX_SIZE = 6;
/** Int32 words per node in `nodeInt`. */
export const NODE_INTS = 8;
/** First child node (children are 8 consecutive nodes), LEAF or FREE. */
export const N_CHILD = 0;
export const N_PARENT = 1;
/** First item slot of a leaf's segment. */
export const N_START = 2;
/** Points in a leaf. */
export const N_COUNT = 3;
/** Item slots reserved for a leaf's segment (≥ N_COUNT). */
export const N_CAP = 4;
/** Stable partition id of a leaf. */
export const N_PARTITION = 5;
export const N_DEPTH = 6;
/** Next free 8-block (on the first node of a free block). */
export const N_NEXT_FREE = 7;

export const LEAF = -1;
export const FREE = -2;

/** Typed-array views over one octree buffer; the single shape every internal function takes. */
export interface OctreeViews {
  readonly buffer: ArrayBufferLike;
  readonly header: Int32Array;
  readonly params: Float64Array;
  readonly nodeBox: Float64Array;
  readonly nodeHeat: Float64Array;
  /** The front copy of the item positions as this thread last saw it (`frontXYZ` re-reads H_FRONT). */
  itemXYZ: Float64Array;
  /** Both copies, by H_FRONT value. */
  readonly itemXYZPair: readonly [Float64Array, Float64Array];
  readonly nodeInt: Int32Array;
  readonly itemIds: Int32Array;
  readonly pointLeaf: Int32Array;
  readonly pointSlot: Int32Array;
}

/** Bytes needed for the given capacities. */
export function byteLength(capacity: number, maxNodes: number, itemCapacity: number): number {
  return HEADER_BYTES + 8 * (maxNodes * (BOX_SIZE + 1) + 2 * itemCapacity * 3) + 4 * (maxNodes * NODE_INTS + itemCapacity + 2 * capacity);
}

/** Creates the views over `buffer`, whose header already holds the capacities. */
export function viewsOf(buffer: ArrayBufferLike): OctreeViews {
  const header = new Int32Array(buffer, 0, HEADER_INTS);
  const capacity = header[H_CAPACITY]!;
  const maxNodes = header[H_MAX_NODES]!;
  const itemCapacity = header[H_ITEM_CAPACITY]!;
  let at = HEADER_INTS * 4;
  const f64 = (n: number): Float64Array => {
    const view = new Float64Array(buffer, at, n);
    at += n * 8;
    return view;
  };
  const i32 = (n: number): Int32Array => {
    const view = new Int32Array(buffer, at, n);
    at += n * 4;
    return view;
  };
  const params = f64(HEADER_FLOATS);
  const nodeBox = f64(maxNodes * BOX_SIZE);
  const nodeHeat = f64(maxNodes);
  const pair = [f64(itemCapacity * 3), f64(itemCapacity * 3)] as const;
  return {
    buffer,
    header,
    params,
    nodeBox,
    nodeHeat,
    itemXYZ: pair[header[H_FRONT]! & 1]!,
    itemXYZPair: pair,
    nodeInt: i32(maxNodes * NODE_INTS),
    itemIds: i32(itemCapacity),
    pointLeaf: i32(capacity),
    pointSlot: i32(capacity),
  };
}

/** Points `v.itemXYZ` at the front copy (another thread may have swapped them since); returns it. */
export function frontXYZ(v: OctreeViews): Float64Array {
  const front = v.itemXYZPair[v.header[H_FRONT]! & 1]!;
  if (v.itemXYZ !== front) v.itemXYZ = front;
  return front;
}

/** Swaps the copies: the back one (where the passes wrote) becomes the one queries read. Writer only. */
export function swapXYZ(v: OctreeViews): void {
  v.header[H_FRONT] = (v.header[H_FRONT]! & 1) ^ 1;
  frontXYZ(v);
}

/** The smallest double above `x` (the open upper face of the world box). */
export function nextUp(x: number): number {
  if (x === Infinity || Number.isNaN(x)) return x;
  if (x === 0) return Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] = bits[0]! + (x > 0 ? 1n : -1n);
  return f[0]!;
}
