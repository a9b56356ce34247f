/** Segment files: creating one, checking its header, and reading page records back with their checks. */
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

import { SnapshotError } from '../errors.js';
import { checkFileHeader, encodeFileHeader, HEADER_BYTES, KIND_SEGMENT, RECORD_HEADER_BYTES, segmentName } from '../format.js';
import { hashPage, keyToHex } from '../pages.js';
import { io, readAt, syncDir, writeAll } from './io.js';
import { locationOf, type ActiveSegment, type PageRef, type SegmentInfo, type StoreState } from './state.js';

/** Reads larger than this are split (a coalesced run of records is one read). */
const MAX_RUN_BYTES = 16 << 20;

/**
 * Creates the next segment: header written and fsynced, and the directory fsynced, so that a
 * manifest published later never points into a file whose directory entry could vanish.
 */
export async function createSegment(state: StoreState): Promise<ActiveSegment> {
  const id = state.nextSegment++;
  const file = join(state.dir, segmentName(id));
  const fd = await io('open', file, () => state.fs.open(file, 'wx'));
  const info: SegmentInfo = { id, file, size: 0 };
  state.segments.set(id, info);
  const active: ActiveSegment = { info, fd, tainted: true };
  await writeAll(state.fs, fd, file, [encodeFileHeader(KIND_SEGMENT, id)], 0);
  info.size = HEADER_BYTES;
  await io('fsync', file, () => state.fs.fsync(fd));
  await syncDir(state.fs, state.dir);
  active.tainted = false;
  return active;
}

/** Closes the append descriptor of the active segment (the file stays). */
export async function retireActive(state: StoreState): Promise<void> {
  const active = state.active;
  if (!active) return;
  state.active = undefined;
  await io('close', active.info.file, () => state.fs.close(active.fd));
}

/** The read descriptor of a segment, opened (and its header checked) on first use. */
export async function readFdOf(state: StoreState, info: SegmentInfo): Promise<number> {
  if (info.readFd === undefined) info.readFd = await io('open', info.file, () => state.fs.open(info.file, 'r'));
  if (!info.headerChecked) {
    const header = await readAt(state.fs, info.readFd, info.file, HEADER_BYTES, 0);
    const id = checkFileHeader(header, info.file, KIND_SEGMENT);
    if (id !== info.id) throw new SnapshotError('SNAPSHOT_CORRUPT', `${info.file}: header names segment ${id}, expected ${info.id}`, { file: info.file, offset: 16 });
    info.headerChecked = true;
  }
  return info.readFd;
}

/** A record to read: where it is and what it must hold. */
export interface RecordSpec {
  readonly key: string;
  readonly segment: number;
  readonly offset: number;
  readonly length: number;
}

/** Checks the record at `at` in `run` (read from `file` at `runOffset`); returns the payload view or the failure. */
export function checkRecord(run: Uint8Array, at: number, spec: RecordSpec, file: string, runOffset: number): Uint8Array | SnapshotError {
  const offset = runOffset + at;
  const corrupt = (what: string): SnapshotError => new SnapshotError('SNAPSHOT_CORRUPT', `${file}: ${what} in the page record at offset ${offset} (page ${spec.key})`, { file, offset, pageKey: spec.key });
  if (at + RECORD_HEADER_BYTES + spec.length > run.byteLength) return corrupt('file ends');
  const view = Buffer.from(run.buffer, run.byteOffset + at, RECORD_HEADER_BYTES);
  if (view.readUInt32LE(36) !== crc32(view.subarray(0, 36))) return corrupt('header checksum mismatch');
  if (view.readUInt32LE(0) !== spec.length) return corrupt(`length ${view.readUInt32LE(0)} where the manifest says ${spec.length}`);
  if (keyToHex(view.subarray(4, 36)) !== spec.key) return corrupt('a different key');
  const payload = run.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + spec.length);
  if (keyToHex(hashPage(payload)) !== spec.key) return corrupt('payload does not hash to its key');
  return payload;
}

/**
 * Reads records, coalescing neighbours in one segment into one read, and checks each. Results are
 * in the order of `specs`: the payload (a view into a fresh buffer) or the error for that record.
 * An I/O failure or a bad segment header fails every record of the run.
 */
export async function readRecords(state: StoreState, specs: readonly RecordSpec[]): Promise<Array<Uint8Array | SnapshotError>> {
  const out: Array<Uint8Array | SnapshotError> = new Array(specs.length);
  // Nothing is read (or allocated) for a record that cannot fit its segment.
  const inBounds = (i: number): boolean => {
    const spec = specs[i]!;
    const info = state.segments.get(spec.segment);
    if (!info || spec.offset + RECORD_HEADER_BYTES + spec.length <= info.size) return true;
    out[i] = new SnapshotError('SNAPSHOT_CORRUPT', `${info.file}: the page record at offset ${spec.offset} (page ${spec.key}, ${spec.length} bytes) would end past the segment's ${info.size} bytes`, { file: info.file, offset: spec.offset, pageKey: spec.key });
    return false;
  };
  const order = specs.map((_, i) => i).filter(inBounds).sort((a, b) => specs[a]!.segment - specs[b]!.segment || specs[a]!.offset - specs[b]!.offset);
  let i = 0;
  while (i < order.length) {
    const first = specs[order[i]!]!;
    let end = first.offset + RECORD_HEADER_BYTES + first.length;
    let j = i + 1;
    for (; j < order.length; j++) {
      const next = specs[order[j]!]!;
      if (next.segment !== first.segment || next.offset > end || end - first.offset > MAX_RUN_BYTES) break;
      end = Math.max(end, next.offset + RECORD_HEADER_BYTES + next.length);
    }
    const members = order.slice(i, j);
    i = j;
    const info = state.segments.get(first.segment);
    let run: Uint8Array | SnapshotError;
    if (!info) {
      run = new SnapshotError('SNAPSHOT_CORRUPT', `segment ${segmentName(first.segment)} is referenced but missing from ${state.dir}`, { file: join(state.dir, segmentName(first.segment)), offset: 0 });
    } else {
      try {
        const fd = await readFdOf(state, info);
        run = await readAt(state.fs, fd, info.file, end - first.offset, first.offset);
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        run = error;
      }
    }
    for (const k of members) {
      const spec = specs[k]!;
      out[k] = run instanceof SnapshotError ? run : checkRecord(run, spec.offset - first.offset, spec, info!.file, first.offset);
    }
  }
  return out;
}

/** The key and length the record header at (segment, offset) holds, or undefined if it cannot be read or fails its CRC. */
export async function readRecordHeader(state: StoreState, segment: number, offset: number): Promise<{ key: string; length: number } | undefined> {
  const info = state.segments.get(segment);
  if (!info || offset + RECORD_HEADER_BYTES > info.size) return undefined;
  try {
    const header = Buffer.from(await readAt(state.fs, await readFdOf(state, info), info.file, RECORD_HEADER_BYTES, offset));
    if (header.length < RECORD_HEADER_BYTES || header.readUInt32LE(36) !== crc32(header.subarray(0, 36))) return undefined;
    return { key: keyToHex(header.subarray(4, 36)), length: header.readUInt32LE(0) };
  } catch (error) {
    if (error instanceof SnapshotError) return undefined;
    throw error;
  }
}

/**
 * A record holding `key` that a new tick may share: `ref` if it was written by this store or its
 * header (CRC, key, length) checks out, else another record with that key that does; undefined
 * when none does (the caller writes the page afresh). A record that fails leaves the dedupe index.
 */
export async function confirmedRecord(state: StoreState, ref: PageRef): Promise<PageRef | undefined> {
  if (!state.unchecked.has(ref)) return ref;
  const candidates = [ref, ...[...state.locations.values()].filter((r) => r !== ref && r.key === ref.key)];
  for (const candidate of candidates) {
    if (!state.unchecked.has(candidate)) return adopt(state, candidate);
    const header = await readRecordHeader(state, candidate.segment, candidate.offset);
    state.unchecked.delete(candidate);
    if (header?.key === candidate.key && header.length === candidate.length) return adopt(state, candidate);
    if (state.index.get(candidate.key) === candidate) state.index.delete(candidate.key);
  }
  return undefined;
}

function adopt(state: StoreState, ref: PageRef): PageRef {
  if (state.locations.get(locationOf(ref.segment, ref.offset)) === ref) state.index.set(ref.key, ref);
  return ref;
}
