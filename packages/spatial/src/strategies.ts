/**
 * The two built-in strategies, as `SpatialStrategy` values the engine builder takes: each
 * allocates its shared buffers, builds its writer, and names this package's thread module
 * (threadSide.ts) for the readers.
 */
import { SpatialError } from './errors.js';
import { allocateGrid, GridWriter } from './neighbourGrid.js';
import { allocateOctreeIndex, OctreeIndexWriter } from './octreeIndex.js';
import { checkGridOptions, checkOctreeOptions, type AdaptiveOctreeSpatial, type SpatialOptions, type UniformGridSpatial } from './options.js';
import type { SpatialStrategy, SpatialWriter } from './ports.js';
import type { BuiltinThreadData } from './threadSide.js';

// The thread module ships as TypeScript under tests (source condition) and as JavaScript in dist.
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const THREAD_MODULE = new URL(`./threadSide${EXT}`, import.meta.url).href;

/** A hashed uniform grid of `cellSize` (about the radius handlers query), rebuilt at every boundary. @throws SpatialError SPATIAL_INVALID_OPTIONS */
export function uniformGrid(options: Omit<UniformGridSpatial, 'strategy'>): SpatialStrategy {
  checkGridOptions(options);
  const buffers = allocateGrid(options.cellSize);
  const grid = new GridWriter(buffers);
  let updateMs = 0;
  const writer: SpatialWriter = {
    rebuild(stores) {
      const began = performance.now();
      grid.rebuild(stores);
      updateMs = performance.now() - began;
    },
    stats: () => ({ strategy: 'uniform-grid', partitions: 0, splits: 0, merges: 0, crossings: 0, outside: 0, updateMs, sorts: 0, sortMs: 0, refits: 0, partitionJobs: 0, passes: 0, passMs: 0 }),
  };
  const data: BuiltinThreadData = { grid: buffers };
  return { name: 'uniform-grid', writer, thread: { url: THREAD_MODULE, data }, options: { strategy: 'uniform-grid', cellSize: options.cellSize } };
}

/** The adaptive octree, updated incrementally at every boundary with its per-actor pass in the jobs. @throws SpatialError SPATIAL_INVALID_OPTIONS */
export function adaptiveOctree(options: Omit<AdaptiveOctreeSpatial, 'strategy'> = {}): SpatialStrategy {
  const full: AdaptiveOctreeSpatial = { ...options, strategy: 'adaptive-octree' };
  checkOctreeOptions(full);
  const buffers = allocateOctreeIndex();
  const data: BuiltinThreadData = { octree: buffers };
  return { name: 'adaptive-octree', writer: new OctreeIndexWriter(buffers, full), thread: { url: THREAD_MODULE, data }, options: full };
}

/** The strategy for built-in options (`{ cellSize }` or `{ strategy: 'adaptive-octree', … }`). @throws SpatialError SPATIAL_INVALID_OPTIONS */
export function spatialStrategy(options: SpatialOptions): SpatialStrategy {
  if (typeof options !== 'object' || options === null) throw new SpatialError('SPATIAL_INVALID_OPTIONS', `spatial options must be an object; got ${String(options)}`);
  if (options.strategy === 'adaptive-octree') return adaptiveOctree(options);
  if (options.strategy !== undefined && options.strategy !== 'uniform-grid') {
    throw new SpatialError('SPATIAL_INVALID_OPTIONS', `spatial.strategy must be "uniform-grid" or "adaptive-octree"; got ${String((options as { strategy: unknown }).strategy)}`);
  }
  return uniformGrid(options);
}

/** Whether `value` is a strategy object (rather than built-in options). */
export function isSpatialStrategy(value: unknown): value is SpatialStrategy {
  return typeof value === 'object' && value !== null && 'writer' in value && 'thread' in value;
}

/** Checks a strategy object against the port. @throws SpatialError SPATIAL_INVALID_STRATEGY naming the member. */
export function checkSpatialStrategy(strategy: SpatialStrategy): void {
  const bad = (what: string) => new SpatialError('SPATIAL_INVALID_STRATEGY', `spatial strategy ${JSON.stringify(String(strategy.name))}: ${what}`);
  if (typeof strategy.name !== 'string' || strategy.name === '') throw bad('name must be a non-empty string');
  if (typeof strategy.writer?.rebuild !== 'function' || typeof strategy.writer.stats !== 'function') throw bad('writer must have rebuild(stores, tick?) and stats()');
  const url = strategy.thread?.url;
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed) throw bad(`thread.url must be a module URL every thread can import (e.g. import.meta.url of the module exporting createSpatialThread); got ${String(url)}`);
}
