// Explicit named exports only (STYLE.md §1).
export type { Octree, OctreePartition, PartitionEvent, SpatialIndex, Vec3Tuple } from './octree.js';
export { createOctree, octreeByteLength } from './createOctree.js';
export { octreeFrom } from './octreeReader.js';
export { OctreeRangePass } from './rangePass.js';
export { mortonOrder, mortonScratchLength, MORTON_LEVELS } from './order.js';
export type { OctreeOptions } from './options.js';
export type { ChunkedPositions } from './positionChunks.js';
export { OctreeError, isOctreeError, type OctreeErrorCode } from './errors.js';
export { FORMAT_VERSION } from './layout.js';
