/**
 * The default `Octree`: the writer over one buffer. Owned by one thread; readers in other threads
 * attach with `octreeFrom(octree.buffer)` and query only while this writer is not mutating (the
 * engine updates at the tick boundary and workers query during the tick).
 */
import { heatOf, rebalance, type WriterState } from './adapt.js';
import { OctreeError } from './errors.js';
import {
  BOX_SIZE,
  byteLength,
  F_MAX,
  F_MERGE_BELOW,
  F_MIN,
  F_SPLIT_ABOVE,
  FORMAT_VERSION,
  H_BUMP,
  H_CAPACITY,
  H_FREE_BLOCK,
  H_GENERATION,
  H_ITEM_CAPACITY,
  H_LEAVES,
  H_LOAD_MODE,
  H_MAGIC,
  H_MAX_DEPTH,
  H_MAX_NODES,
  H_NEXT_PARTITION,
  H_NODE_HIGH,
  H_OUT_OF_BOUNDS,
  H_SIZE,
  H_VERSION,
  LEAF,
  MAGIC,
  N_CAP,
  N_CHILD,
  N_COUNT,
  N_DEPTH,
  N_PARENT,
  N_PARTITION,
  N_START,
  nextUp,
  NODE_INTS,
  viewsOf,
  type OctreeViews,
} from './layout.js';
import { insertPoint, movePoint, removePoint } from './mutate.js';
import type { Octree, OctreePartition, PartitionEvent } from './octree.js';
import type { ChunkedPositions } from './positionChunks.js';
import { OctreeReader } from './octreeReader.js';
import { resolveOptions, type OctreeOptions, type ResolvedOptions } from './options.js';
import { relocate, reserve } from './segments.js';
import { createUpdateScratch, updateAll, type EvictedPoint, type UpdateScratch } from './update.js';
import { updateListed } from './updateListed.js';
import { createCellTable } from './cellTable.js';
import { bulkLoad, createBulkState } from './bulkLoad.js';
import { PartitionMap } from './partitionMap.js';
import { renumberIds, renumberSomeIds } from './renumber.js';

class AdaptiveOctree extends OctreeReader implements Octree {
  private readonly w: WriterState;
  /** `update`'s scratch: points that left their leaf, and the cell table. */
  private readonly updateScratch: UpdateScratch;
  private readonly worldMax: readonly number[];
  /** `renumber`'s bitmap of new ids (capacity bits), made on first use. */
  private renumberMarks: Uint32Array | undefined;

  constructor(views: OctreeViews, max: readonly number[]) {
    super(views);
    this.w = { nodeOf: new PartitionMap(), keys: new Int32Array(0), keyDepth: new Int8Array(views.header[H_MAX_NODES]!), tmp: new Int32Array(0), tmpXYZ: new Float64Array(0), fresh: [], shape: 0, bulk: createBulkState(views.header[H_MAX_NODES]!) };
    this.updateScratch = createUpdateScratch(createCellTable());
    this.worldMax = max;
    this.resetRoot();
  }

  get buffer(): ArrayBufferLike {
    return this.v.buffer;
  }

  get ids(): Int32Array {
    return this.v.itemIds;
  }

  get partitionCount(): number {
    return this.v.header[H_LEAVES]!;
  }

  insert(id: number, x: number, y: number, z: number): void {
    insertPoint(this.v, id, x, y, z);
  }

  insertMany(positions: Float64Array, count: number, ids?: Int32Array): void {
    const v = this.v;
    if (!Number.isInteger(count) || count < 0 || (ids ? ids.length < count : positions.length < 3 * count)) {
      throw new OctreeError('OCTREE_INVALID_ARGUMENT', `insertMany: count ${count} does not fit positions (${positions.length}) / ids (${ids?.length ?? '-'})`);
    }
    const root = v.nodeInt;
    if (root[N_CHILD] === LEAF && root[N_COUNT]! + count > root[N_CAP]!) {
      // One segment for everything instead of a chain of doublings; rebalance() then splits it.
      const cap = root[N_COUNT]! + count + 64;
      relocate(v, 0, reserve(v, cap), cap);
    }
    if (!ids && root[N_CHILD] === LEAF && root[N_COUNT] === 0 && count > 0 && count <= v.pointLeaf.length && bulkLoad(v, this.w.bulk, positions, count)) return;
    if (!ids && root[N_CHILD] === LEAF && count <= v.pointLeaf.length) {
      this.appendRange(positions, count);
      return;
    }
    for (let i = 0; i < count; i++) {
      const id = ids ? ids[i]! : i;
      insertPoint(v, id, positions[id * 3]!, positions[id * 3 + 1]!, positions[id * 3 + 2]!);
    }
  }

  /** Bulk path into a single-leaf tree: ids 0..count-1 in order, so every write is sequential. */
  private appendRange(positions: Float64Array, count: number): void {
    const v = this.v;
    const p = v.params;
    const lx = p[F_MIN]!, ly = p[F_MIN + 1]!, lz = p[F_MIN + 2]!, hx = p[F_MAX]!, hy = p[F_MAX + 1]!, hz = p[F_MAX + 2]!;
    const { itemIds, itemXYZ, pointLeaf, pointSlot, nodeInt } = v;
    for (let id = 0; id < count; id++) {
      const x = positions[id * 3]!, y = positions[id * 3 + 1]!, z = positions[id * 3 + 2]!;
      if (pointLeaf[id] !== -1 || !(x >= lx && x <= hx && y >= ly && y <= hy && z >= lz && z <= hz)) {
        insertPoint(v, id, x, y, z); // duplicate or outside: the slow path throws or clamps
        continue;
      }
      const slot = nodeInt[N_START]! + nodeInt[N_COUNT]!;
      nodeInt[N_COUNT]!++;
      itemIds[slot] = id;
      itemXYZ[slot * 3] = x;
      itemXYZ[slot * 3 + 1] = y;
      itemXYZ[slot * 3 + 2] = z;
      pointLeaf[id] = 0;
      pointSlot[id] = slot;
      v.header[H_SIZE]!++;
    }
    v.header[H_GENERATION]!++;
  }

  move(id: number, x: number, y: number, z: number): void {
    movePoint(this.v, id, x, y, z);
  }

  remove(id: number): boolean {
    return removePoint(this.v, id);
  }

  update(positions: Float64Array | ChunkedPositions, evict?: EvictedPoint): number {
    return updateAll(this.v, positions, this.updateScratch, this.w.shape, evict);
  }

  updateListed(positions: Float64Array | ChunkedPositions, listed: Int32Array, count: number, evict?: EvictedPoint): number {
    return updateListed(this.v, positions, listed, count, this.updateScratch, this.w.shape, evict);
  }

  renumber(newIdOf: Int32Array): void {
    this.renumberMarks ??= new Uint32Array((this.v.pointLeaf.length + 31) >>> 5);
    renumberIds(this.v, newIdOf, this.renumberMarks);
  }

  renumberSome(from: Int32Array, to: Int32Array, count: number): void {
    this.renumberMarks ??= new Uint32Array((this.v.pointLeaf.length + 31) >>> 5);
    renumberSomeIds(this.v, from, to, count, this.renumberMarks);
  }

  rebalance(): PartitionEvent[] {
    return rebalance(this.v, this.w);
  }

  setHeat(partitionId: number, heat: number): boolean {
    if (!(heat >= 0) || heat === Infinity) throw new OctreeError('OCTREE_INVALID_ARGUMENT', `heat must be a finite number ≥ 0, got ${heat}`);
    const node = this.w.nodeOf.get(partitionId);
    if (node === undefined) return false;
    this.v.nodeHeat[node] = heat;
    return true;
  }

  partitionOf(id: number): number {
    if (!this.has(id)) return -1;
    return this.v.nodeInt[this.v.pointLeaf[id]! * NODE_INTS + N_PARTITION]!;
  }

  partitionSpan(partitionId: number, out: Int32Array): boolean {
    const node = this.w.nodeOf.get(partitionId);
    if (node === undefined || this.v.nodeInt[node * NODE_INTS + N_CHILD] !== LEAF) return false;
    out[0] = this.v.nodeInt[node * NODE_INTS + N_START]!;
    out[1] = this.v.nodeInt[node * NODE_INTS + N_COUNT]!;
    return true;
  }

  partitions(): OctreePartition[] {
    const v = this.v;
    const ni = v.nodeInt;
    const box = v.nodeBox;
    const [mx, my, mz] = this.worldMax as [number, number, number];
    const out: OctreePartition[] = [];
    const stack = [0];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const base = node * NODE_INTS;
      const child = ni[base + N_CHILD]!;
      if (child !== LEAF) {
        for (let c = 7; c >= 0; c--) stack.push(child + c);
        continue;
      }
      const b = node * BOX_SIZE;
      out.push({
        id: ni[base + N_PARTITION]!,
        actors: ni[base + N_COUNT]!,
        heat: heatOf(v, node),
        min: [box[b]!, box[b + 1]!, box[b + 2]!],
        max: [Math.min(box[b + 3]!, mx), Math.min(box[b + 4]!, my), Math.min(box[b + 5]!, mz)],
        start: ni[base + N_START]!,
        depth: ni[base + N_DEPTH]!,
      });
    }
    return out;
  }

  clear(): void {
    this.v.pointLeaf.fill(-1);
    this.resetRoot();
  }

  private resetRoot(): void {
    const { header: h, params: p, nodeInt: ni, nodeBox: box } = this.v;
    h[H_NODE_HIGH] = 1;
    h[H_FREE_BLOCK] = -1;
    h[H_SIZE] = 0;
    h[H_BUMP] = 0;
    h[H_LEAVES] = 1;
    const pid = h[H_NEXT_PARTITION]!;
    h[H_NEXT_PARTITION] = pid + 1;
    h[H_GENERATION]!++;
    for (let a = 0; a < 3; a++) {
      box[a] = p[F_MIN + a]!;
      box[3 + a] = nextUp(p[F_MAX + a]!); // upper faces of the world are inclusive
    }
    ni.fill(0, 0, NODE_INTS);
    ni[N_CHILD] = LEAF;
    ni[N_PARENT] = -1;
    ni[N_PARTITION] = pid;
    this.v.nodeHeat[0] = NaN;
    this.w.shape++;
    this.w.nodeOf.clear();
    this.w.nodeOf.set(pid, 0);
  }
}

function initBuffer(o: ResolvedOptions): OctreeViews {
  const bytes = byteLength(o.capacity, o.maxNodes, o.itemCapacity);
  let buffer: ArrayBufferLike;
  if (o.buffer) {
    if (o.buffer.byteLength < bytes) {
      throw new OctreeError('OCTREE_INVALID_ARGUMENT', `buffer has ${o.buffer.byteLength} bytes; these options need ${bytes} (octreeByteLength)`);
    }
    buffer = o.buffer;
    new Uint8Array(buffer, 0, bytes).fill(0); // a reused buffer holds an older index
  } else {
    buffer = o.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  }
  const header = new Int32Array(buffer, 0, 16);
  header[H_MAGIC] = MAGIC;
  header[H_VERSION] = FORMAT_VERSION;
  header[H_CAPACITY] = o.capacity;
  header[H_MAX_NODES] = o.maxNodes;
  header[H_ITEM_CAPACITY] = o.itemCapacity;
  header[H_MAX_DEPTH] = o.maxDepth;
  header[H_LOAD_MODE] = o.heatMode ? 1 : 0;
  header[H_OUT_OF_BOUNDS] = o.clamp ? 1 : 0;
  const v = viewsOf(buffer);
  for (let a = 0; a < 3; a++) {
    v.params[F_MIN + a] = o.min[a]!;
    v.params[F_MAX + a] = o.max[a]!;
  }
  v.params[F_SPLIT_ABOVE] = o.splitAbove;
  v.params[F_MERGE_BELOW] = o.mergeBelow;
  v.pointLeaf.fill(-1);
  return v;
}

/**
 * Bytes of the buffer `createOctree(options)` needs (to size a buffer passed as `options.buffer`).
 * @throws OctreeError OCTREE_INVALID_ARGUMENT on bad options.
 */
export function octreeByteLength(options: OctreeOptions): number {
  const o = resolveOptions(options);
  return byteLength(o.capacity, o.maxNodes, o.itemCapacity);
}

/**
 * Creates an empty adaptive octree. Insert points, then call `rebalance()` to split it.
 * @throws OctreeError OCTREE_INVALID_ARGUMENT on bad options.
 * @example
 * const tree = createOctree({ capacity: 1 << 20, bounds: { min: [0, 0, 0], max: [1000, 1000, 1000] } });
 * tree.insertMany(positions, count);
 * tree.rebalance();
 * const n = tree.queryRadiusInto(x, y, z, 10, out);
 */
export function createOctree(options: OctreeOptions): Octree {
  const o = resolveOptions(options);
  return new AdaptiveOctree(initBuffer(o), o.max);
}
