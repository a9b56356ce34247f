/**
 * Spatial settings from outside the program — a config file's `partition_strategy` and
 * `[spatial]` keys, or the options a stored tick recorded — applied over the program's own
 * `.spatial(…)`. Only what the outside set changes anything: a key the file left at its default
 * keeps the program's value, so the same program runs alike with and without a config.
 */
import type { LoadedConfig, ValueOrigin } from '@concurrengine/config';

import { EngineError } from './errors.js';
import { isSpatialStrategy } from '@concurrengine/spatial';

import type { AdaptiveOctreeSpatial, EngineSpatial, PartitionStrategy, SpatialBounds, SpatialOptions } from './spatial.js';

/**
 * Spatial settings over the program's. `'auto'` asks for the engine's own choice even where the
 * program made one (the actors' extent for `bounds`, the octree's default for `mergeBelow`).
 */
export interface SpatialOverride {
  /**
   * `'single'`: no index. Undefined: the program's strategy (and nothing when it has no index).
   * `'custom'` (a stored tick of a program with its own strategy object): the program's strategy.
   */
  readonly strategy?: PartitionStrategy | 'custom';
  readonly bounds?: SpatialBounds | 'auto';
  readonly splitAbove?: number;
  readonly mergeBelow?: number | 'auto';
  readonly reorderEvery?: number;
  /** The uniform grid's cell; undefined: the program's `cellSize`. */
  readonly cellSize?: number;
  /**
   * Ignore the program's options and use these alone (engine defaults filling the gaps): a replay
   * must rebuild the index the run used, whatever the program says now.
   */
  readonly exact?: boolean;
}

const isSet = (origin: ValueOrigin | undefined): boolean => origin !== undefined && origin.kind !== 'default';

/** What `partition_strategy` and `[spatial]` say, counting only the keys the file or the environment set. */
export function spatialOverrideFromConfig(loaded: LoadedConfig): SpatialOverride {
  const at = loaded.origins;
  const { engine, spatial } = loaded.config;
  const { worldMin, worldMax } = spatial;
  // The config refuses one corner without the other, so either corner being set means both are.
  const boxSet = isSet(at['spatial.world_min']) || isSet(at['spatial.world_max']);
  return {
    ...(isSet(at['engine.partition_strategy']) ? { strategy: engine.partitionStrategy } : {}),
    ...(boxSet ? { bounds: worldMin === 'auto' || worldMax === 'auto' ? 'auto' : { min: worldMin, max: worldMax } } : {}),
    ...(isSet(at['spatial.split_above']) ? { splitAbove: spatial.splitAbove } : {}),
    ...(isSet(at['spatial.merge_below']) ? { mergeBelow: spatial.mergeBelow } : {}),
    ...(isSet(at['spatial.reorder_every']) ? { reorderEvery: spatial.reorderEvery } : {}),
    // "auto" is the program's cell size, i.e. no override.
    ...(isSet(at['spatial.cell_size']) && spatial.cellSize !== 'auto' ? { cellSize: spatial.cellSize } : {}),
  };
}

/**
 * The spatial options an engine runs with: `override` over `program`. "single" turns the index
 * off; "uniform-grid" takes the override's `cellSize` or the program's; "adaptive-octree" starts
 * from the program's octree options (none when it had a grid) and takes every threshold set. A
 * program's own strategy object is kept unless the outside names a strategy; a built-in strategy
 * object counts as its options.
 * @throws EngineError ENGINE_INVALID_ARGUMENT when "uniform-grid" has no cell size, or when the
 * merged `mergeBelow` is not below `splitAbove` (a program's value against a config's).
 */
export function applySpatialOverride(program: EngineSpatial | undefined, override: SpatialOverride | undefined): EngineSpatial | undefined {
  if (override === undefined || !setsAnything(override)) return program;
  if (override.strategy === 'custom') return program;
  if (isSpatialStrategy(program)) {
    // The program's own strategy object: only a strategy the outside names replaces it; a built-in
    // one's options are what the outside's keys apply over.
    if (!program.options) return override.strategy === undefined ? program : optionsOver(undefined, override);
    return optionsOver(program.options, override);
  }
  return optionsOver(program, override);
}

/** Whether `override` changes anything: a key set, or `exact`. */
const setsAnything = (override: SpatialOverride): boolean => override.exact === true || Object.values(override).some((value) => value !== undefined);

function optionsOver(program: SpatialOptions | undefined, override: SpatialOverride): SpatialOptions | undefined {
  const base = override.exact === true ? undefined : program;
  const strategy = override.strategy ?? (base ? (base.strategy ?? 'uniform-grid') : undefined);
  switch (strategy) {
    case undefined:
    case 'single':
      return undefined;
    case 'uniform-grid': {
      const cellSize = override.cellSize ?? (base && base.strategy !== 'adaptive-octree' ? base.cellSize : undefined);
      if (cellSize === undefined) {
        throw new EngineError('ENGINE_INVALID_ARGUMENT', 'partition_strategy = "uniform-grid" needs a cell size: set [spatial] cell_size, or call Engine.builder().spatial({ cellSize }) in the program');
      }
      return { strategy: 'uniform-grid', cellSize };
    }
    case 'adaptive-octree':
      return octreeOver(base?.strategy === 'adaptive-octree' ? base : undefined, override);
  }
}

function octreeOver(program: AdaptiveOctreeSpatial | undefined, override: SpatialOverride): AdaptiveOctreeSpatial {
  const { bounds, splitAbove, mergeBelow, reorderEvery } = { ...program, ...definedOnly(override) };
  if (typeof mergeBelow === 'number' && splitAbove !== undefined && !(mergeBelow < splitAbove)) {
    throw new EngineError('ENGINE_INVALID_ARGUMENT', `spatial mergeBelow (${mergeBelow}) must be below splitAbove (${splitAbove}); the program's value and the config's disagree — set [spatial] merge_below too`);
  }
  return {
    strategy: 'adaptive-octree',
    ...(bounds !== undefined && bounds !== 'auto' ? { bounds } : {}),
    ...(splitAbove !== undefined ? { splitAbove } : {}),
    ...(mergeBelow !== undefined && mergeBelow !== 'auto' ? { mergeBelow } : {}),
    ...(reorderEvery !== undefined ? { reorderEvery } : {}),
  };
}

/** `override` without its undefined fields, so a spread keeps the program's value for them. */
function definedOnly(override: SpatialOverride): Pick<SpatialOverride, 'bounds' | 'splitAbove' | 'mergeBelow' | 'reorderEvery'> {
  const { bounds, splitAbove, mergeBelow, reorderEvery } = override;
  return {
    ...(bounds !== undefined ? { bounds } : {}),
    ...(splitAbove !== undefined ? { splitAbove } : {}),
    ...(mergeBelow !== undefined ? { mergeBelow } : {}),
    ...(reorderEvery !== undefined ? { reorderEvery } : {}),
  };
}
