/** The file store's factory: worker-backed by default, on the caller's thread with a custom seam. */
import { FileStoreCore } from './file/fileStoreCore.js';
import { queuedStore } from './file/queuedStore.js';
import { nodeFileSystem, type FileSystemSeam } from './fileSystem.js';
import type { SnapshotStore } from './snapshotStore.js';
import { openWorkerStore } from './worker/workerStore.js';

export interface FileSnapshotStoreOptions {
  /**
   * The file operations to use (tests inject failures here). A seam is an object of functions and
   * cannot cross into a worker thread, so passing one implies `worker: false`.
   */
  readonly fs?: FileSystemSeam;
  /** Create the directory and the store header when missing (default true). */
  readonly create?: boolean;
  /** Soft size of a segment file: a new one is started before the next tick once reached (default 256 MiB). */
  readonly segmentBytes?: number;
  /**
   * Hash and write in a worker thread (default true without `fs`). With `false`, hashing ~50 MB
   * of pages blocks the calling thread for ~40 ms per write.
   */
  readonly worker?: boolean;
  /**
   * A shared Int32 word the owner sets non-zero while busy (the engine: during a tick) and
   * notifies when idle: the worker hashes pages in the owner's idle time, waiting at most 8 ms per
   * page. Worker stores only (the caller's thread must never block).
   */
  readonly yieldTo?: Int32Array;
}

/**
 * Opens (or creates) the snapshot store in `dir`. Opening only reads; leftovers of a crash are
 * removed before the first write or compaction. One process at a time may write a store.
 * @throws SnapshotError SNAPSHOT_FORMAT (foreign or newer store), SNAPSHOT_IO
 * @example
 * const store = await openFileSnapshotStore('./snapshots');
 * const { pageKeys } = await store.writeTick({ tick: 1, meta, pages });
 */
export async function openFileSnapshotStore(dir: string, options: FileSnapshotStoreOptions = {}): Promise<SnapshotStore> {
  const worker = options.worker ?? options.fs === undefined;
  if (worker && options.fs !== undefined) throw new TypeError('openFileSnapshotStore: a custom fs seam cannot run in the worker thread; pass worker: false');
  if (options.segmentBytes !== undefined && !(options.segmentBytes > 0)) throw new RangeError(`segmentBytes must be positive, got ${options.segmentBytes}`);
  const create = options.create ?? true;
  if (worker) return openWorkerStore(dir, { create, segmentBytes: options.segmentBytes, yieldTo: options.yieldTo });
  const core = await FileStoreCore.open(dir, { fs: options.fs ?? nodeFileSystem, create, ...(options.segmentBytes !== undefined ? { segmentBytes: options.segmentBytes } : {}) });
  return queuedStore(core);
}
