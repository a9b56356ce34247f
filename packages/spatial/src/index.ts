export { SpatialError, type SpatialErrorCode } from './errors.js';
export type {
  CreateSpatialThread,
  NeighbourIndex,
  Point3,
  SpatialBounds,
  SpatialPartition,
  SpatialStats,
  SpatialStrategy,
  SpatialThread,
  SpatialWriter,
  Vec3Tuple,
} from './ports.js';
export {
  DEFAULT_REORDER_EVERY,
  DEFAULT_SPLIT_ABOVE,
  isSpatialBox,
  type AdaptiveOctreeSpatial,
  type SpatialOptions,
  type UniformGridSpatial,
} from './options.js';
export { adaptiveOctree, checkSpatialStrategy, isSpatialStrategy, spatialStrategy, uniformGrid } from './strategies.js';
