/**
 * Options of `createOctree` and their validation. Capacities are fixed at creation so the buffer
 * never moves under a reader.
 */
import { OctreeError } from './errors.js';
import type { Vec3Tuple } from './octree.js';

export interface OctreeOptions {
  /** Point ids are integers in [0, capacity). */
  readonly capacity: number;
  /** The world box; upper faces are inclusive. */
  readonly bounds: { readonly min: Vec3Tuple; readonly max: Vec3Tuple };
  /** High-water mark: a leaf whose load exceeds this splits (default 1024). */
  readonly splitAbove?: number;
  /** Low-water mark: 8 sibling leaves whose total load is below this merge (default splitAbove / 4). */
  readonly mergeBelow?: number;
  /** What "load" means: the point count (default) or the heat fed back with `setHeat`. */
  readonly load?: 'count' | 'heat';
  /** Leaves at this depth never split (default 16). */
  readonly maxDepth?: number;
  /** Node slots (default: enough for 2·capacity/mergeBelow internal nodes); splits beyond it are skipped. */
  readonly maxNodes?: number;
  /** Item slots (default 1.5·capacity + 4·maxNodes + 64, at least capacity + 64); fewer compact more often. */
  readonly itemCapacity?: number;
  /** Positions outside the world box: throw OCTREE_OUT_OF_BOUNDS (default) or clamp them onto it. */
  readonly outOfBounds?: 'throw' | 'clamp';
  /** Back the index with a SharedArrayBuffer (default true) or a plain ArrayBuffer. */
  readonly shared?: boolean;
  /**
   * Build the index in this buffer (its first `octreeByteLength(options)` bytes, zeroed first)
   * instead of a new one: e.g. a growable SharedArrayBuffer that workers already hold, so a
   * larger index can replace a smaller one without handing them a new buffer.
   */
  readonly buffer?: ArrayBufferLike;
}

export interface ResolvedOptions {
  readonly capacity: number;
  readonly min: Vec3Tuple;
  readonly max: Vec3Tuple;
  readonly splitAbove: number;
  readonly mergeBelow: number;
  readonly heatMode: boolean;
  readonly maxDepth: number;
  readonly maxNodes: number;
  readonly itemCapacity: number;
  readonly clamp: boolean;
  readonly shared: boolean;
  readonly buffer: ArrayBufferLike | undefined;
}

const invalid = (message: string): OctreeError => new OctreeError('OCTREE_INVALID_ARGUMENT', message);

/** Validates and fills in defaults. @throws OctreeError OCTREE_INVALID_ARGUMENT */
export function resolveOptions(options: OctreeOptions): ResolvedOptions {
  const { capacity, bounds } = options;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 0x3fffffff) {
    throw invalid(`capacity must be an integer in [1, 2^30), got ${capacity}`);
  }
  const min = bounds?.min;
  const max = bounds?.max;
  if (!min || !max || min.length !== 3 || max.length !== 3) throw invalid('bounds must be { min: [x, y, z], max: [x, y, z] }');
  for (let a = 0; a < 3; a++) {
    if (!Number.isFinite(min[a]) || !Number.isFinite(max[a]) || !(min[a]! < max[a]!)) {
      throw invalid(`bounds must be finite with min < max on every axis, got min ${min.join(',')} max ${max.join(',')}`);
    }
  }
  const splitAbove = options.splitAbove ?? 1024;
  const mergeBelow = options.mergeBelow ?? Math.max(1, Math.floor(splitAbove / 4));
  if (!(splitAbove > 0) || !Number.isFinite(splitAbove)) throw invalid(`splitAbove must be a positive number, got ${splitAbove}`);
  if (!(mergeBelow >= 0 && mergeBelow < splitAbove)) {
    throw invalid(`mergeBelow must be in [0, splitAbove) for hysteresis, got mergeBelow ${mergeBelow}, splitAbove ${splitAbove}`);
  }
  const maxDepth = options.maxDepth ?? 16;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > 40) throw invalid(`maxDepth must be an integer in [0, 40], got ${maxDepth}`);
  const blocks = options.maxNodes !== undefined ? Math.floor((options.maxNodes - 1) / 8) : Math.ceil((2 * capacity) / Math.max(1, mergeBelow)) + 8 * maxDepth;
  if (!(blocks >= 0) || blocks > 0x0fffffff) throw invalid(`maxNodes must be ≥ 1, got ${options.maxNodes}`);
  const maxNodes = 1 + 8 * blocks;
  const itemCapacity = options.itemCapacity ?? Math.ceil(capacity * 1.5) + 4 * maxNodes + 64;
  if (!Number.isInteger(itemCapacity) || itemCapacity < capacity + 64 || itemCapacity > 0x7fffffff) {
    throw invalid(`itemCapacity must be an integer ≥ capacity + 64 (${capacity + 64}), got ${itemCapacity}`);
  }
  const load = options.load ?? 'count';
  if (load !== 'count' && load !== 'heat') throw invalid(`load must be 'count' or 'heat', got ${String(load)}`);
  const policy = options.outOfBounds ?? 'throw';
  if (policy !== 'throw' && policy !== 'clamp') throw invalid(`outOfBounds must be 'throw' or 'clamp', got ${String(policy)}`);
  return {
    capacity,
    min,
    max,
    splitAbove,
    mergeBelow,
    heatMode: load === 'heat',
    maxDepth,
    maxNodes,
    itemCapacity,
    clamp: policy === 'clamp',
    shared: options.shared ?? true,
    buffer: options.buffer,
  };
}
