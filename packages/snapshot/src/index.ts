// Explicit named exports only (STYLE.md §1).
export type {
  CompactOptions,
  CompactReport,
  PageKey,
  SnapshotStore,
  StoreStats,
  TickSnapshot,
  TickSnapshotInput,
  TickStats,
  VerifyProblem,
  VerifyReport,
  WriteResult,
} from './snapshotStore.js';
export { SnapshotError, isSnapshotError, type SnapshotErrorCode, type SnapshotErrorFields } from './errors.js';
export { nodeFileSystem, type FileSystemSeam } from './fileSystem.js';
export { createMemorySnapshotStore } from './memoryStore.js';
export { openFileSnapshotStore, type FileSnapshotStoreOptions } from './openFileSnapshotStore.js';
export { FORMAT_VERSION, MAX_MANIFEST_BYTES } from './format.js';
