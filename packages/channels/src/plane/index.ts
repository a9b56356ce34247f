// The tick plane: per-producer lanes into each destination partition, for a fixed-rate loop.
export { createTickPlane, PlaneViews, type TickPlaneBuffers, type TickPlaneOptions } from './buffers.js';
export { MAX_SEGMENTS, type PartitionOf, type RecordShape } from './layout.js';
export { LaneProducer } from './producer.js';
export { PlaneReader } from './reader.js';
export { TickPlane } from './owner.js';
