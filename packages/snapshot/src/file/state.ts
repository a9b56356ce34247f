/**
 * The file store's in-memory view of its directory. Owned by one thread (the store's worker, or the
 * caller's thread with `worker: false`) and changed only inside the store's serial queue.
 */
import type { FileSystemSeam } from '../fileSystem.js';
import type { SnapshotError } from '../errors.js';

/** One page record on disk, shared by every tick whose manifest points at it. */
export interface PageRef {
  readonly key: string;
  readonly segment: number;
  /** Offset of the record header in the segment. */
  readonly offset: number;
  /** Payload bytes. */
  readonly length: number;
  /** References from listed ticks (a tick that repeats a page counts each time). */
  refs: number;
}

export interface TickRecord {
  readonly tick: number;
  readonly file: string;
  readonly manifestBytes: number;
  /** The pages in order; empty when the manifest could not be read (`broken`). */
  refs: PageRef[];
  /** Why the manifest could not be read at open: every read of this tick throws it. */
  readonly broken?: SnapshotError;
  /** Offset of the first page entry in the manifest (where errors about entries point), when known. */
  readonly entriesAt?: number;
}

export interface SegmentInfo {
  readonly id: number;
  readonly file: string;
  /** Bytes in the file (as far as this store wrote or found them). */
  size: number;
  /** Read descriptor, opened on first read. */
  readFd?: number;
  /** Set once the header was read and checked. */
  headerChecked?: boolean;
}

/** The segment new pages are appended to. */
export interface ActiveSegment {
  readonly info: SegmentInfo;
  readonly fd: number;
  /** A write failed part-way: the tail is unknown, so the next write starts a new segment. */
  tainted: boolean;
}

export interface StoreState {
  readonly dir: string;
  readonly fs: FileSystemSeam;
  /** A segment at or above this size is closed for appends before the next tick (soft limit). */
  readonly segmentBytes: number;
  /** Location (`segment:offset`) → record, for every record a listed tick references. */
  readonly locations: Map<string, PageRef>;
  /** Key → one record with that content: the dedupe index. */
  readonly index: Map<string, PageRef>;
  readonly ticks: Map<number, TickRecord>;
  /** Listed ticks, ascending. */
  order: number[];
  readonly segments: Map<number, SegmentInfo>;
  active: ActiveSegment | undefined;
  nextSegment: number;
  /** Leftovers of a crash (temp files, unreferenced segments) were removed; done before the first mutation. */
  cleaned: boolean;
  /**
   * Records known only from a manifest read at open (a manifest can be crafted with a valid
   * checksum): their header is checked before a new tick shares one, then they leave the set.
   */
  readonly unchecked: WeakSet<PageRef>;
  /** Rejected ticks whose manifest could not be withdrawn (they may reappear, complete, on reopen). */
  withdrawFailures: number;
  /** Bytes of the store header file. */
  headerBytes: number;
}

export const locationOf = (segment: number, offset: number): string => `${segment}:${offset}`;

/** Adds a reference from a listed tick to the record at (segment, offset), creating it if new. */
export function retain(state: StoreState, key: string, segment: number, offset: number, length: number): PageRef {
  const loc = locationOf(segment, offset);
  let ref = state.locations.get(loc);
  if (!ref) {
    ref = { key, segment, offset, length, refs: 0 };
    state.locations.set(loc, ref);
    if (!state.index.has(key)) state.index.set(key, ref);
  }
  ref.refs++;
  return ref;
}

/** Drops a listed tick's references; records left unreferenced leave the index. */
export function releaseTick(state: StoreState, record: TickRecord): void {
  for (const ref of record.refs) {
    if (--ref.refs > 0) continue;
    state.locations.delete(locationOf(ref.segment, ref.offset));
    if (state.index.get(ref.key) === ref) state.index.delete(ref.key);
  }
  record.refs = [];
  state.ticks.delete(record.tick);
  state.order = state.order.filter((t) => t !== record.tick);
}
