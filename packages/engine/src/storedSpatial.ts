/**
 * The spatial options a stored tick records: which index the engine ran (none, the grid or the
 * octree) and its settings, with engine defaults written out. The octree's spatial sort moves
 * actors every `reorderEvery` ticks and its partitions follow `splitAbove`/`mergeBelow`, so a
 * replay that rebuilt the index from a program edited since (or without the run's config file)
 * would diverge; `concurrengine replay` hands these back to the engine instead.
 */
import { DEFAULT_REORDER_EVERY, DEFAULT_SPLIT_ABOVE, isSpatialBox, isSpatialStrategy } from '@concurrengine/spatial';

import { EngineError } from './errors.js';
import type { EngineSpatial, SpatialBounds } from './spatial.js';

/** A stored tick's record of the spatial index; `mergeBelow` absent: the octree's default. */
export type StoredSpatial =
  | { readonly strategy: 'single' }
  | { readonly strategy: 'uniform-grid'; readonly cellSize: number }
  /**
   * `sort: 'steps'`: `reorderEvery` counts the ticks between two sort steps (after the whole sort
   * at the first boundary). Recordings made before the sort steps lack it, and their
   * `reorderEvery` counted whole sorts: they are refused, since this engine cannot sort as they did.
   */
  | { readonly strategy: 'adaptive-octree'; readonly bounds?: SpatialBounds; readonly splitAbove: number; readonly mergeBelow?: number; readonly reorderEvery: number; readonly sort: 'steps' }
  /** A strategy object of the program's own: a replay uses the program's strategy again. */
  | { readonly strategy: 'custom'; readonly name: string };

/**
 * What to record for an engine running `options`. Only a box the program or config fixed is
 * recorded here: a box the index derived ("auto") is re-derived as the world grows, and the box in
 * use at each tick travels separately (meta `spatialBounds`), so a replay adopts it and still
 * re-derives when the run did.
 */
export function storedSpatialOf(spatial: EngineSpatial | undefined): StoredSpatial {
  if (!spatial) return { strategy: 'single' };
  // A built-in strategy object carries its options; a user's own is recorded by name.
  const options = isSpatialStrategy(spatial) ? spatial.options : spatial;
  if (!options) return { strategy: 'custom', name: (spatial as { name: string }).name };
  if (options.strategy !== 'adaptive-octree') return { strategy: 'uniform-grid', cellSize: options.cellSize };
  const bounds = options.bounds;
  return {
    strategy: 'adaptive-octree',
    ...(bounds ? { bounds: { min: [...bounds.min], max: [...bounds.max] } as SpatialBounds } : {}),
    splitAbove: options.splitAbove ?? DEFAULT_SPLIT_ABOVE,
    ...(options.mergeBelow !== undefined ? { mergeBelow: options.mergeBelow } : {}),
    reorderEvery: options.reorderEvery ?? DEFAULT_REORDER_EVERY,
    sort: 'steps',
  };
}

const count = (v: unknown, least: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= least;
// Thresholds as the octree takes them: any finite number (a program may pass 100.5).
const finiteAtLeast = (v: unknown, least: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= least;

/** Why `value` is not a `StoredSpatial`, or undefined when it is one. */
function flawOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const v = value as Record<string, unknown>;
  switch (v['strategy']) {
    case 'single':
      return undefined;
    case 'uniform-grid':
      return typeof v['cellSize'] === 'number' && Number.isFinite(v['cellSize']) && v['cellSize'] > 0 ? undefined : 'cellSize is not a positive number';
    case 'adaptive-octree': {
      if (v['bounds'] !== undefined && !isSpatialBox(v['bounds'])) return 'bounds is not a box { min: [x, y, z], max: [x, y, z] } with min < max';
      if (!(finiteAtLeast(v['splitAbove'], 0) && v['splitAbove'] > 0)) return 'splitAbove is not a positive number';
      if (v['mergeBelow'] !== undefined && !(finiteAtLeast(v['mergeBelow'], 0) && v['mergeBelow'] < v['splitAbove'])) return 'mergeBelow is not a number from 0 to below splitAbove';
      if (!count(v['reorderEvery'], 0)) return 'reorderEvery is not a whole number ≥ 0';
      if (v['reorderEvery'] !== 0 && v['sort'] !== 'steps') {
        return 'has no sort: "steps" — it was recorded by an engine that sorted the whole world every reorderEvery ticks, which this one no longer does (it would replay to other states); replay it with the version that recorded it';
      }
      return undefined;
    }
    case 'custom':
      return typeof v['name'] === 'string' ? undefined : 'name is not a string';
    default:
      return 'strategy is not "single", "uniform-grid", "adaptive-octree" or "custom"';
  }
}

/** @throws EngineError ENGINE_SNAPSHOT_INVALID naming `where`, the field and the value, when `value` is not a StoredSpatial. */
export function checkStoredSpatial(value: unknown, where: string): asserts value is StoredSpatial {
  const flaw = flawOf(value);
  if (flaw !== undefined) throw new EngineError('ENGINE_SNAPSHOT_INVALID', `${where}: the meta's spatialOptions ${flaw}: ${JSON.stringify(value)}`);
}
