/**
 * The read side: queries over an octree buffer, in the thread that built it or in any other via
 * `octreeFrom(buffer)`. Each reader owns its traversal stack and heaps, so readers in different
 * threads never share scratch memory; one reader must not be used re-entrantly.
 */
import { OctreeError } from './errors.js';
import { byteLength, FORMAT_VERSION, H_CAPACITY, H_ITEM_CAPACITY, H_MAGIC, H_MAX_DEPTH, H_MAX_NODES, H_SIZE, H_VERSION, HEADER_INTS, MAGIC, frontXYZ, viewsOf, type OctreeViews } from './layout.js';
import { nearest, NearestScratch } from './nearest.js';
import type { SpatialIndex } from './octree.js';
import { queryBox, queryRadius } from './queries.js';

export class OctreeReader implements SpatialIndex {
  protected readonly v: OctreeViews;
  private readonly stack: Int32Array;
  /** The boxes of the nodes on `stack`, 6 doubles each. */
  private readonly boxes: Float64Array;
  private readonly heaps: NearestScratch;
  private scratch = new Int32Array(64);

  constructor(views: OctreeViews) {
    this.v = views;
    // Depth-first: at most 7 pending siblings per level plus the 8 children of the deepest node.
    this.stack = new Int32Array(8 * (views.header[H_MAX_DEPTH]! + 2));
    this.boxes = new Float64Array(6 * this.stack.length);
    this.heaps = new NearestScratch(views.header[H_MAX_NODES]!);
  }

  get size(): number {
    return this.v.header[H_SIZE]!;
  }

  queryBoxInto(minX: number, minY: number, minZ: number, maxX: number, maxY: number, maxZ: number, out: Int32Array): number {
    frontXYZ(this.v);
    return queryBox(this.v, this.stack, this.boxes, minX, minY, minZ, maxX, maxY, maxZ, out);
  }

  queryRadiusInto(x: number, y: number, z: number, radius: number, out: Int32Array): number {
    frontXYZ(this.v);
    return queryRadius(this.v, this.stack, this.boxes, x, y, z, radius, out);
  }

  nearestInto(x: number, y: number, z: number, k: number, out: Int32Array, maxDistance = Infinity): number {
    if (!(maxDistance >= 0)) return 0;
    frontXYZ(this.v);
    return nearest(this.v, this.heaps, x, y, z, k, out, maxDistance);
  }

  queryBox(minX: number, minY: number, minZ: number, maxX: number, maxY: number, maxZ: number): number[] {
    const n = this.queryBoxInto(minX, minY, minZ, maxX, maxY, maxZ, this.scratch);
    if (n > this.scratch.length) {
      this.scratch = new Int32Array(n);
      this.queryBoxInto(minX, minY, minZ, maxX, maxY, maxZ, this.scratch);
    }
    return Array.from(this.scratch.subarray(0, n));
  }

  queryRadius(x: number, y: number, z: number, radius: number): number[] {
    const n = this.queryRadiusInto(x, y, z, radius, this.scratch);
    if (n > this.scratch.length) {
      this.scratch = new Int32Array(n);
      this.queryRadiusInto(x, y, z, radius, this.scratch);
    }
    return Array.from(this.scratch.subarray(0, n));
  }

  nearest(x: number, y: number, z: number, k: number, maxDistance = Infinity): number[] {
    const out = new Int32Array(Math.max(0, Math.min(Math.floor(k), this.size)));
    return Array.from(out.subarray(0, this.nearestInto(x, y, z, out.length, out, maxDistance)));
  }

  has(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.v.pointLeaf.length && this.v.pointLeaf[id] !== -1;
  }

  positionInto(id: number, out: Float64Array | number[]): boolean {
    if (!this.has(id)) return false;
    const s = this.v.pointSlot[id]! * 3;
    const xyz = frontXYZ(this.v);
    out[0] = xyz[s]!;
    out[1] = xyz[s + 1]!;
    out[2] = xyz[s + 2]!;
    return true;
  }
}

/**
 * Rebuilds a reader over an octree's buffer, e.g. in a worker that received `octree.buffer`.
 * Queries see whatever the writer last wrote: call them only while the writer is not mutating.
 * @throws OctreeError OCTREE_BAD_BUFFER when the buffer is not an octree of this format version.
 */
export function octreeFrom(buffer: ArrayBufferLike): SpatialIndex {
  return new OctreeReader(checkedViews(buffer));
}

/** The views of an octree buffer, after checking it is one of this format version. */
export function checkedViews(buffer: ArrayBufferLike): OctreeViews {
  if (buffer.byteLength < HEADER_INTS * 4) {
    throw new OctreeError('OCTREE_BAD_BUFFER', `buffer of ${buffer.byteLength} bytes is too small for an octree header`);
  }
  const header = new Int32Array(buffer, 0, HEADER_INTS);
  if (header[H_MAGIC] !== MAGIC) {
    throw new OctreeError('OCTREE_BAD_BUFFER', `not an octree buffer: magic 0x${(header[H_MAGIC]! >>> 0).toString(16)}, expected 0x${MAGIC.toString(16)}`);
  }
  if (header[H_VERSION] !== FORMAT_VERSION) {
    throw new OctreeError('OCTREE_BAD_BUFFER', `Got v${header[H_VERSION]} data when expected v${FORMAT_VERSION}`);
  }
  const need = byteLength(header[H_CAPACITY]!, header[H_MAX_NODES]!, header[H_ITEM_CAPACITY]!);
  if (buffer.byteLength < need) {
    throw new OctreeError('OCTREE_BAD_BUFFER', `octree buffer has ${buffer.byteLength} bytes, its header needs ${need}`);
  }
  return viewsOf(buffer);
}
