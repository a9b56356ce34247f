/**
 * Options of the two built-in strategies, and their checks. A program passes these to the engine
 * builder's `.spatial(…)`; `uniformGrid()` and `adaptiveOctree()` turn them into strategies.
 */
import { SpatialError } from './errors.js';
import type { SpatialBounds } from './ports.js';

/** A hashed uniform grid of `cellSize`, rebuilt at every boundary (the default for `{ cellSize }`). */
export interface UniformGridSpatial {
  readonly strategy?: 'uniform-grid';
  /** About the radius handlers query. */
  readonly cellSize: number;
}

/**
 * An adaptive octree updated incrementally at every boundary: leaves above `splitAbove` actors
 * split, 8 siblings below `mergeBelow` merge; its leaves are the partitions telemetry shows and
 * job placement follows.
 */
export interface AdaptiveOctreeSpatial {
  readonly strategy: 'adaptive-octree';
  /**
   * The world box. Actors outside it are still found (a linear scan per query), so keep them few.
   * Default: the extent of the actors at the first tick, padded by a quarter of its largest side.
   */
  readonly bounds?: SpatialBounds;
  /** A leaf with more actors splits (default 512). */
  readonly splitAbove?: number;
  /** 8 sibling leaves with fewer actors in all merge (default splitAbove / 4). */
  readonly mergeBelow?: number;
  /**
   * Ticks between two steps of the spatial sort of the indexed kinds' actors (default 8; 0: never
   * sort). Their slots follow the Morton order of their positions, so a job covers neighbouring
   * partitions and the index's pass reads positions in order; refs are unaffected. The first
   * boundary (and a refit of a derived world box) sorts the whole world; each step then sorts one
   * window of ~16K actors of each kind in place, the windows sweeping the pages back and forth, so
   * the order follows the actors with a bounded amount of work per boundary (no stop-the-world).
   */
  readonly reorderEvery?: number;
}

export type SpatialOptions = UniformGridSpatial | AdaptiveOctreeSpatial;

/** Ticks between two sort steps when the options give none. */
export const DEFAULT_REORDER_EVERY = 8;

/** Actors per octree leaf before it splits, when the options give none. */
export const DEFAULT_SPLIT_ABOVE = 512;

const invalid = (message: string): SpatialError => new SpatialError('SPATIAL_INVALID_OPTIONS', message);

/** @throws SpatialError SPATIAL_INVALID_OPTIONS naming the option. */
export function checkGridOptions(options: UniformGridSpatial): void {
  if (!(typeof options.cellSize === 'number' && options.cellSize > 0 && Number.isFinite(options.cellSize))) {
    throw invalid(`spatial.cellSize must be a positive number; got ${String(options.cellSize)}`);
  }
}

/** @throws SpatialError SPATIAL_INVALID_OPTIONS naming the option. */
export function checkOctreeOptions(options: AdaptiveOctreeSpatial): void {
  const { reorderEvery: every, splitAbove, mergeBelow, bounds } = options;
  if (every !== undefined && !(Number.isInteger(every) && every >= 0)) {
    throw invalid(`spatial.reorderEvery must be a whole number of ticks ≥ 0 (0: never); got ${String(every)}`);
  }
  if (splitAbove !== undefined && !(typeof splitAbove === 'number' && splitAbove > 0 && Number.isFinite(splitAbove))) {
    throw invalid(`spatial.splitAbove must be a positive number; got ${String(splitAbove)}`);
  }
  if (mergeBelow !== undefined && !(typeof mergeBelow === 'number' && mergeBelow >= 0 && mergeBelow < (splitAbove ?? DEFAULT_SPLIT_ABOVE))) {
    throw invalid(`spatial.mergeBelow must be a number from 0 to below splitAbove (${splitAbove ?? DEFAULT_SPLIT_ABOVE}); got ${String(mergeBelow)}`);
  }
  if (bounds !== undefined && !isSpatialBox(bounds)) {
    throw invalid('spatial.bounds must be a box { min: [x, y, z], max: [x, y, z] } of finite numbers with min < max on every axis');
  }
}

const isAxes = (v: unknown): v is readonly number[] => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Whether `box` is `{ min: [x, y, z], max: [x, y, z] }` of finite numbers with min < max on every axis. */
export function isSpatialBox(box: unknown): box is SpatialBounds {
  if (typeof box !== 'object' || box === null) return false;
  const { min, max } = box as { min?: unknown; max?: unknown };
  return isAxes(min) && isAxes(max) && min.every((lo, axis) => lo < max[axis]!);
}
