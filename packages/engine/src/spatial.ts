/**
 * The engine's side of a spatial strategy (`@concurrengine/spatial`): what `.spatial(…)` takes —
 * built-in options or a strategy object — turned into the strategy the engine drives, with the
 * spatial package's typed errors reported as the engine's.
 */
import {
  checkSpatialStrategy,
  isSpatialStrategy,
  SpatialError,
  spatialStrategy,
  type SpatialOptions,
  type SpatialStrategy,
} from '@concurrengine/spatial';

import { EngineError } from './errors.js';

export type {
  AdaptiveOctreeSpatial,
  SpatialBounds,
  SpatialOptions,
  SpatialStats,
  SpatialStrategy,
  SpatialWriter,
  UniformGridSpatial,
} from '@concurrengine/spatial';

/** What `.spatial(…)` takes: a built-in strategy's options, or a strategy object (a built-in's or your own). */
export type EngineSpatial = SpatialOptions | SpatialStrategy;

/** `[engine] partition_strategy` of the config file ("single": no index); see spatialConfig.ts. */
export type PartitionStrategy = 'adaptive-octree' | 'uniform-grid' | 'single';

// A strategy's writer and buffers hold one world's index: two engines on one would corrupt both.
const taken = new WeakSet<SpatialStrategy>();

/**
 * The strategy an engine runs, or undefined for none; `claimSpatial` marks a strategy object as
 * the engine's once the engine is built (a build that fails later leaves it free).
 * @throws EngineError ENGINE_INVALID_ARGUMENT for invalid options, a malformed strategy object, or
 * a strategy object another engine already uses.
 */
export function prepareSpatial(spatial: EngineSpatial | undefined): SpatialStrategy | undefined {
  if (spatial === undefined) return undefined;
  try {
    if (!isSpatialStrategy(spatial)) return spatialStrategy(spatial);
    checkSpatialStrategy(spatial);
  } catch (error) {
    if (error instanceof SpatialError) throw new EngineError('ENGINE_INVALID_ARGUMENT', error.message, { cause: error });
    throw error;
  }
  if (taken.has(spatial)) {
    throw new EngineError('ENGINE_INVALID_ARGUMENT', `spatial strategy "${spatial.name}" already belongs to another engine: create one strategy per engine`);
  }
  return spatial;
}

/** Marks `spatial` as used by the engine just built (see prepareSpatial). */
export function claimSpatial(spatial: SpatialStrategy | undefined): void {
  if (spatial) taken.add(spatial);
}
