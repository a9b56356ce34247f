/**
 * The narrow interface the engine codes against. A store keeps, per tick, an engine-defined `meta`
 * blob and an ordered list of pages; pages are content-addressed, so a page that did not change
 * between ticks is stored once and costs only its key in the next tick's manifest.
 */

/** A page's content hash (SHA-256, lowercase hex). Returned by `writeTick`, accepted by it again. */
export type PageKey = string;

/** What the engine hands to {@link SnapshotStore.writeTick}. */
export interface TickSnapshotInput {
  /** A safe non-negative integer above every tick already in the store. */
  readonly tick: number;
  /** Engine-defined bytes (kinds, free lists, RNG state, state hash…), stored as given. */
  readonly meta: Uint8Array;
  /**
   * The tick's pages in order: bytes (any `ArrayBufferView` over an `ArrayBuffer` or a
   * `SharedArrayBuffer`, which the caller must not modify until the write settles) or the
   * `PageKey` an earlier write returned for an unchanged page (neither re-hashed nor re-written).
   */
  readonly pages: ReadonlyArray<ArrayBufferView | PageKey>;
}

/** What a durable `writeTick` reports. */
export interface WriteResult {
  readonly tick: number;
  /** One key per input page, in order: hand them back for pages that stay unchanged. */
  readonly pageKeys: readonly PageKey[];
  /** Bytes appended to segments plus the manifest's size: what this tick cost on disk. */
  readonly bytesWritten: number;
  /** Pages whose content was new to the store and was written. */
  readonly pagesWritten: number;
  /** Pages already stored (given as a key, or bytes whose hash the store already held). */
  readonly pagesShared: number;
}

/** A tick read back. */
export interface TickSnapshot {
  readonly tick: number;
  readonly meta: Uint8Array;
  readonly pages: readonly Uint8Array[];
  readonly pageKeys: readonly PageKey[];
}

/** One problem `verify` found. `tick` is absent for problems of a file no tick references. */
export interface VerifyProblem {
  readonly tick?: number;
  readonly file: string;
  readonly offset: number;
  readonly code: 'SNAPSHOT_CORRUPT' | 'SNAPSHOT_FORMAT' | 'SNAPSHOT_IO';
  readonly message: string;
}

/** The outcome of `verify`: every checksum of every listed tick, page and file header. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly ticks: ReadonlyArray<{ readonly tick: number; readonly ok: boolean }>;
  readonly problems: readonly VerifyProblem[];
  /** Distinct page records checked, and their payload bytes. */
  readonly pagesChecked: number;
  readonly bytesChecked: number;
}

/** Which ticks `compact` keeps: a predicate, or the newest `keepLast`. */
export type CompactOptions = { readonly keep: (tick: number) => boolean } | { readonly keepLast: number };

/** What `compact` did. */
export interface CompactReport {
  readonly ticksDropped: readonly number[];
  readonly ticksKept: number;
  /** Page records no kept tick references any more, and their payload bytes. */
  readonly pagesDropped: number;
  readonly bytesReclaimed: number;
  /** Segment files deleted, and segment files whose live pages were copied into a new one. */
  readonly segmentsDeleted: number;
  readonly segmentsRewritten: number;
}

/** Per-tick figures in {@link StoreStats}. */
export interface TickStats {
  readonly tick: number;
  readonly pages: number;
  /** Sum of the tick's page sizes (what a full copy would cost). */
  readonly bytes: number;
  /** Pages with the same key at the same position in the previous listed tick. */
  readonly sharedWithPrevious: number;
  readonly manifestBytes: number;
}

/** Sizes and sharing, for `concurrengine inspect`. */
export interface StoreStats {
  readonly ticks: number;
  readonly first: number | undefined;
  readonly last: number | undefined;
  /** Everything the store occupies: segments, manifests, headers (0 for the memory store's files). */
  readonly bytesOnDisk: number;
  readonly segments: number;
  /** Distinct pages stored and their payload bytes. */
  readonly pages: number;
  readonly pageBytes: number;
  /** Distinct pages referenced by more than one tick. */
  readonly pagesShared: number;
  /** Page references over all ticks and their bytes (what storing every tick in full would cost). */
  readonly pageRefs: number;
  readonly logicalBytes: number;
  /** logicalBytes ÷ pageBytes (1 when nothing is shared; 0 for an empty store). */
  readonly dedupeRatio: number;
  /** One entry per listed tick; an unreadable tick's shows 0 pages (it is in `unreadable`). */
  readonly perTick: readonly TickStats[];
  /**
   * Listed ticks whose manifest could not be read when the store was opened (the file store; a
   * custom store may leave it out): every read of them throws the error each entry describes.
   */
  readonly unreadable?: readonly VerifyProblem[];
}

/**
 * A snapshot store. Calls may be issued without awaiting the previous one: they apply in call
 * order, and a read sees every write issued before it.
 */
export interface SnapshotStore {
  /**
   * Stores a tick; durable and listed when the promise resolves, never listed if it rejects.
   * @throws SnapshotError SNAPSHOT_ORDER, SNAPSHOT_PAGE_MISSING, SNAPSHOT_IO, SNAPSHOT_CLOSED
   */
  writeTick(input: TickSnapshotInput): Promise<WriteResult>;
  /**
   * Reads a tick back, checking every checksum on the way.
   * @throws SnapshotError SNAPSHOT_TICK_MISSING, SNAPSHOT_CORRUPT (file, offset), SNAPSHOT_FORMAT, SNAPSHOT_IO
   */
  readTick(tick: number): Promise<TickSnapshot>;
  /**
   * Reads only a tick's `meta`, checked as `readTick` checks it, without reading or checking its
   * pages: what a replay needs of the ticks after the one it starts from (their inputs). Optional,
   * so a store of your own without it still fits; callers fall back to `readTick(tick).meta`. A
   * tick whose pages are damaged still yields its meta; one whose manifest is damaged does not.
   * @throws SnapshotError SNAPSHOT_TICK_MISSING, SNAPSHOT_CORRUPT (file, offset, tick), SNAPSHOT_FORMAT, SNAPSHOT_IO
   */
  readMeta?(tick: number): Promise<Uint8Array>;
  /** Ticks held, ascending. */
  listTicks(): Promise<readonly number[]>;
  /** The newest tick, or undefined when the store is empty. */
  latest(): Promise<number | undefined>;
  /** Checks every checksum; never throws for corruption, it reports it. */
  verify(): Promise<VerifyReport>;
  /**
   * Drops the ticks `options` does not keep and reclaims the pages no kept tick references.
   * Crash-safe: a crash at any moment leaves every tick that is still listed readable.
   * @throws SnapshotError SNAPSHOT_CORRUPT when a kept tick's manifest cannot be read, SNAPSHOT_IO
   */
  compact(options: CompactOptions): Promise<CompactReport>;
  stats(): Promise<StoreStats>;
  /** Waits for issued calls, then releases files (and the worker). Later calls reject with SNAPSHOT_CLOSED. */
  close(): Promise<void>;
}
