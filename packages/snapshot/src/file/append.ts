/**
 * The write pipeline of one tick: hash each page, skip what the store holds, append the rest to the
 * active segment. Hashing is synchronous on this thread while the appends run on libuv's pool, so
 * hashing page i+1 overlaps writing page i; an fsync every SYNC_EVERY bytes starts write-back
 * early instead of leaving all of it to the final fsync.
 */
import { SnapshotError } from '../errors.js';
import { encodeRecordHeader, RECORD_HEADER_BYTES } from '../format.js';
import { bytesOf, hashPage, keyToHex } from '../pages.js';
import type { PageKey } from '../snapshotStore.js';
import { waitForIdle } from './courtesy.js';
import { io, writeAll } from './io.js';
import { confirmedRecord } from './segments.js';
import type { ActiveSegment, StoreState } from './state.js';

/** Bytes gathered before one `writev` is issued (measured: 1–8 MiB perform alike; 4 MiB keeps iovecs < 1024 for 8 KiB pages). */
const BATCH_BYTES = 4 << 20;
/** Issue an intermediate fsync after this many appended bytes. */
const SYNC_EVERY = 16 << 20;

/** A page of the tick being written: where its record is (or will be). */
export interface PlannedPage {
  readonly key: string;
  readonly segment: number;
  readonly offset: number;
  readonly length: number;
}

export interface AppendResult {
  readonly pages: PlannedPage[];
  /** Records appended by this tick (first occurrence of each new key). */
  readonly fresh: PlannedPage[];
  readonly bytesAppended: number;
}

/**
 * Appends the tick's new pages to `segment` and fsyncs it. On failure the segment is marked
 * tainted (its tail is unknown) and the error is SNAPSHOT_IO; nothing is registered anywhere.
 */
export async function appendPages(state: StoreState, segment: ActiveSegment, tick: number, input: ReadonlyArray<ArrayBufferView | PageKey>): Promise<AppendResult> {
  const { fs } = state;
  const { info, fd } = segment;
  const pages: PlannedPage[] = new Array(input.length);
  const fresh = new Map<string, PlannedPage>();
  const pending: Array<Promise<void>> = [];
  let failure: unknown;
  const fail = (error: unknown): void => {
    failure ??= error;
  };
  const start = info.size;
  let position = start;
  let batch: ArrayBufferView[] = [];
  let batchAt = position;
  let sinceSync = 0;
  const issue = (): void => {
    if (batch.length === 0) return;
    pending.push(writeAll(fs, fd, info.file, batch, batchAt).catch(fail));
    sinceSync += position - batchAt;
    batch = [];
    batchAt = position;
    if (sinceSync >= SYNC_EVERY) {
      sinceSync = 0;
      pending.push(io('fsync', info.file, () => fs.fsync(fd)).catch(fail));
    }
  };

  for (let i = 0; i < input.length && failure === undefined; i++) {
    const page = input[i]!;
    if (typeof page === 'string') {
      const indexed = state.index.get(page);
      const known = fresh.get(page) ?? (indexed && state.unchecked.has(indexed) ? await confirmedRecord(state, indexed) : indexed);
      if (!known) {
        failure = new SnapshotError('SNAPSHOT_PAGE_MISSING', `tick ${tick}, page ${i}: key ${page} is not in the store (never written, or compacted away)`, { tick, pageKey: page });
        break;
      }
      pages[i] = known;
      continue;
    }
    const bytes = bytesOf(page);
    waitForIdle();
    const rawKey = hashPage(bytes);
    const key = keyToHex(rawKey);
    const indexed = state.index.get(key);
    const known = fresh.get(key) ?? (indexed && state.unchecked.has(indexed) ? await confirmedRecord(state, indexed) : indexed);
    if (known) {
      pages[i] = known;
      continue;
    }
    const planned: PlannedPage = { key, segment: info.id, offset: position, length: bytes.byteLength };
    fresh.set(key, planned);
    pages[i] = planned;
    batch.push(encodeRecordHeader(bytes.byteLength, rawKey), bytes);
    position += RECORD_HEADER_BYTES + bytes.byteLength;
    if (position - batchAt >= BATCH_BYTES) issue();
  }
  if (failure === undefined) issue();
  await Promise.all(pending);
  if (failure === undefined && position > start) await io('fsync', info.file, () => fs.fsync(fd)).catch(fail);
  if (failure !== undefined) {
    if (position > start) segment.tainted = true;
    info.size = Math.max(info.size, position);
    throw failure;
  }
  info.size = position;
  return { pages, fresh: [...fresh.values()], bytesAppended: position - start };
}
