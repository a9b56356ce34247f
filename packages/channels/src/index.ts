// Explicit named exports only (STYLE.md §1).
export type {
  Channel,
  ChannelOptions,
  CriticalHandler,
  OverflowStrategy,
  Received,
  Receiver,
  RecvOptions,
  RecvResult,
  Sender,
  SendOptions,
  SendResult,
  TryRecvResult,
  TrySendOutcome,
} from './channel.js';
export { ChannelError, isChannelError, type ChannelErrorCode } from './errors.js';
export { createLocalChannel, type LocalChannelOptions } from './localChannel.js';
export { readChannelStats, type ChannelStats } from './stats.js';
export { TIERS, type Tier } from './tiers.js';
export { defineRecordCodec, type FieldKind, type RecordCodec, type RecordOf, type RecordSchema, type RecordScratch, type RecordViews } from './codec.js';
export { attachSharedChannel, createSharedChannel, type AttachOptions, type SharedChannel, type SharedChannelOptions } from './sharedChannel.js';
export { createTickPlane, LaneProducer, MAX_SEGMENTS, PlaneReader, PlaneViews, TickPlane, type PartitionOf, type RecordShape, type TickPlaneBuffers, type TickPlaneOptions } from './plane/index.js';
export { CRITICAL, HIGH, LOW, NORMAL, TIER_COUNT, tierIndex } from './tiers.js';
