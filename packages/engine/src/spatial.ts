/**
 * Spatial strategies behind `ctx.neighbours()`: the options, the main thread's side of an index
 * (`SpatialWriter`, brought up to date at every tick boundary) and the choice between the uniform
 * grid and the adaptive octree. Both answer the same `NeighbourIndex` in every thread.
 */
import type { KindStore } from '@concurrengine/actors';
import type { Vec3Tuple } from '@concurrengine/octree';
import type { JobBatch } from '@concurrengine/scheduler';
import type { PartitionStats } from '@concurrengine/telemetry';

import { EngineError } from './errors.js';
import { allocateGrid, GridWriter, type GridBuffers } from './neighbourGrid.js';
import { allocateOctreeIndex, OctreeIndexWriter, type OctreeIndexBuffers } from './octreeIndex.js';

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
  readonly bounds?: { readonly min: Vec3Tuple; readonly max: Vec3Tuple };
  /** A leaf with more actors splits (default 512). */
  readonly splitAbove?: number;
  /** 8 sibling leaves with fewer actors in all merge (default splitAbove / 4). */
  readonly mergeBelow?: number;
  /**
   * Ticks between two spatial sorts of the indexed kinds' actors (default 600; 0: never; the
   * first boundary sorts as well, so a world spawned in any order runs sorted): their
   * slots follow the Morton order of their positions, so a job covers neighbouring partitions and
   * the index's pass reads positions in order. Refs are unaffected.
   */
  readonly reorderEvery?: number;
}

export type SpatialOptions = UniformGridSpatial | AdaptiveOctreeSpatial;

/** A world box. */
export interface SpatialBounds {
  readonly min: Vec3Tuple;
  readonly max: Vec3Tuple;
}

/** `[engine] partition_strategy` of the config file ("single": no index); see spatialConfig.ts. */
export type PartitionStrategy = 'adaptive-octree' | 'uniform-grid' | 'single';

/** The spatial index's counters, in `engine.stats().spatial`. */
export interface SpatialStats {
  readonly strategy: 'uniform-grid' | 'adaptive-octree';
  /** Octree leaves (scheduling partitions); 0 for the grid. */
  readonly partitions: number;
  /** Leaf splits and merges since the start. */
  readonly splits: number;
  readonly merges: number;
  /** Times an actor changed leaf, summed over ticks. */
  readonly crossings: number;
  /** Actors outside the octree's world box (found by a linear scan per query). */
  readonly outside: number;
  /** Main-thread ms the last boundary spent bringing the index up to date (a spatial sort included). */
  readonly updateMs: number;
  /** Spatial sorts of the actors since the start, and the last one's ms (octree; 0 for the grid). */
  readonly sorts: number;
  readonly sortMs: number;
  /** Times an octree world box derived from the actors ("auto") was derived again because they outgrew it. */
  readonly refits: number;
  /** Jobs whose pages mostly lay in one partition and were placed by it, since the start. */
  readonly partitionJobs: number;
  /** Boundaries whose per-actor index work ran in the workers (the index pass), since the start. */
  readonly passes: number;
  /** Ms the jobs spent in the last tick's index pass, summed over jobs (CPU time on the workers); `updateMs` is the main thread's share after it. */
  readonly passMs: number;
}

/** The main thread's side of a spatial index. */
export interface SpatialWriter {
  /**
   * Re-indexes the actors as they stand now. `tick` is given at a tick's boundary (after its
   * effects, before the seal of `tick`) and nowhere else: the only place an index may move actors
   * (their slots are then sealed, so a rewind or a replay sees the same moves).
   */
  rebuild(stores: readonly KindStore[], tick?: number): void;
  /**
   * Called with the tick's jobs, cut and not yet run: the writer may have each job pass its pages
   * to the index after its handlers (the octree's index pass), and at `rebuild(…, tick)` re-bucket
   * only what the passes listed — provided every job finished its pass.
   */
  planIndexPass?(stores: readonly KindStore[], batch: JobBatch, jobs: number): void;
  /** The worker job `jobId` (pages [first, end) of `kindId`) should prefer; undefined: no opinion. */
  preferWorker?(jobId: number, kindId: number, first: number, end: number): number | undefined;
  /** After a batch ran: who ran which job and how long it took. */
  afterJobs?(batch: JobBatch, jobs: number): void;
  /** The partitions, for the dashboard's heat map. */
  partitions?(): PartitionStats[];
  /**
   * The world box the index settled on (given, or the first world's extent), when it matters for
   * what the index does to the world: the octree's spatial sort keys positions on it. Stored with
   * each tick, so an engine restoring the tick sorts as the recording one did.
   */
  bounds?(): SpatialBounds | undefined;
  /** Takes a stored tick's box (a restore); the next rebuild builds the index on it. */
  adoptBounds?(bounds: SpatialBounds): void;
  stats(): SpatialStats;
}

/** What `createEngine` needs of a strategy: the buffers every thread receives, and the writer. */
export interface PreparedSpatial {
  readonly setup: { readonly grid?: GridBuffers; readonly octree?: OctreeIndexBuffers };
  readonly writer: SpatialWriter | undefined;
}

/** Validates `spatial` and allocates its shared buffers. @throws EngineError ENGINE_INVALID_ARGUMENT */
export function prepareSpatial(spatial: SpatialOptions | undefined): PreparedSpatial {
  if (!spatial) return { setup: {}, writer: undefined };
  if (spatial.strategy === 'adaptive-octree') {
    const every = spatial.reorderEvery;
    if (every !== undefined && !(Number.isInteger(every) && every >= 0)) {
      throw new EngineError('ENGINE_INVALID_ARGUMENT', `spatial.reorderEvery must be a whole number of ticks ≥ 0 (0: never); got ${String(every)}`);
    }
    const buffers = allocateOctreeIndex();
    return { setup: { octree: buffers }, writer: new OctreeIndexWriter(buffers, spatial) };
  }
  if (spatial.strategy !== undefined && spatial.strategy !== 'uniform-grid') {
    throw new EngineError('ENGINE_INVALID_ARGUMENT', `spatial.strategy must be "uniform-grid" or "adaptive-octree"; got ${String((spatial as { strategy: unknown }).strategy)}`);
  }
  if (!(spatial.cellSize > 0)) throw new EngineError('ENGINE_INVALID_ARGUMENT', `spatial.cellSize must be a positive number; got ${String(spatial.cellSize)}`);
  const buffers = allocateGrid(spatial.cellSize);
  return { setup: { grid: buffers }, writer: gridWriter(buffers) };
}

function gridWriter(buffers: GridBuffers): SpatialWriter {
  const grid = new GridWriter(buffers);
  let updateMs = 0;
  return {
    rebuild(stores) {
      const began = performance.now();
      grid.rebuild(stores);
      updateMs = performance.now() - began;
    },
    stats: () => ({ strategy: 'uniform-grid', partitions: 0, splits: 0, merges: 0, crossings: 0, outside: 0, updateMs, sorts: 0, sortMs: 0, refits: 0, partitionJobs: 0, passes: 0, passMs: 0 }),
  };
}
