/**
 * The on-disk format, version 1 (README "On-disk format"). All integers little-endian; every
 * checksum is CRC-32 (`zlib.crc32`). Every file starts with the same 32-byte header:
 *
 *   0  magic "CE-SNAP\n"   8  u32 format version   12 u32 kind   16 u32 segment id (0 if none)
 *   20 8 reserved zero bytes                        28 u32 CRC-32 of bytes 0..27
 *
 * A segment (kind 2) is that header followed by page records, appended and never changed:
 *   0 u32 payload length   4 32-byte SHA-256 of the payload (the page key)   36 u32 CRC-32 of bytes 0..35
 *   40 payload
 * The payload's own checksum is its key: readers re-hash it.
 *
 * A manifest (kind 3), one per tick, is the header followed by
 *   32 u64 tick   40 u32 page count n   44 u32 meta length m   48 meta bytes
 *   48+m  n × 48-byte entries: 32-byte key, u32 segment id, u32 payload length, u64 record offset
 *   then  u32 CRC-32 of bytes 32 .. end-4
 */
import { crc32 } from 'node:zlib';

import { SnapshotError } from './errors.js';
import { KEY_BYTES, keyToHex } from './pages.js';

export const FORMAT_VERSION = 1;
export const MAGIC = Buffer.from('CE-SNAP\n', 'latin1');
export const HEADER_BYTES = 32;
export const KIND_STORE = 1;
export const KIND_SEGMENT = 2;
export const KIND_MANIFEST = 3;
export const RECORD_HEADER_BYTES = 40;
export const MANIFEST_FIXED_BYTES = 48;
export const MANIFEST_ENTRY_BYTES = 48;
/**
 * The largest manifest a store writes or reads (1 GiB: a meta of up to ~1 GiB, or ~22M page
 * references). Readers check a manifest's size against it before allocating anything, so a
 * corrupt or crafted file (a sparse one grown past 4 GiB) fails its tick instead of the process;
 * writers refuse a tick that would exceed it (SNAPSHOT_LIMIT) rather than write one no reader takes.
 */
export const MAX_MANIFEST_BYTES = 2 ** 30;
const KIND_NAMES: Record<number, string> = { [KIND_STORE]: 'store header', [KIND_SEGMENT]: 'segment', [KIND_MANIFEST]: 'manifest' };

export function encodeFileHeader(kind: number, id = 0): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(FORMAT_VERSION, 8);
  out.writeUInt32LE(kind, 12);
  out.writeUInt32LE(id, 16);
  out.writeUInt32LE(crc32(out.subarray(0, 28)), 28);
  return out;
}

/**
 * Checks a file header: foreign magic or a newer version is SNAPSHOT_FORMAT, a checksum or kind
 * mismatch SNAPSHOT_CORRUPT at offset 0. Returns the segment id field.
 */
export function checkFileHeader(bytes: Uint8Array, file: string, kind: number): number {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!b.subarray(0, 8).equals(MAGIC.subarray(0, Math.min(8, b.length)))) {
    const found = JSON.stringify(b.subarray(0, 8).toString('latin1'));
    throw new SnapshotError('SNAPSHOT_FORMAT', `${file} is not a concurrengine snapshot file: magic ${found}, expected "CE-SNAP\\n"`, { file, found, supported: FORMAT_VERSION });
  }
  if (b.length < HEADER_BYTES) throw new SnapshotError('SNAPSHOT_CORRUPT', `${file}: truncated file header (${b.length} of ${HEADER_BYTES} bytes)`, { file, offset: 0 });
  if (b.readUInt32LE(28) !== crc32(b.subarray(0, 28))) throw new SnapshotError('SNAPSHOT_CORRUPT', `${file}: file header checksum mismatch at offset 0`, { file, offset: 0 });
  const version = b.readUInt32LE(8);
  if (version !== FORMAT_VERSION) {
    throw new SnapshotError('SNAPSHOT_FORMAT', `${file} has snapshot format version ${version}; this build reads version ${FORMAT_VERSION}${version > FORMAT_VERSION ? ' (written by a newer concurrengine)' : ''}`, { file, found: version, supported: FORMAT_VERSION });
  }
  const found = b.readUInt32LE(12);
  if (found !== kind) throw new SnapshotError('SNAPSHOT_CORRUPT', `${file}: file header says ${KIND_NAMES[found] ?? `kind ${found}`}, expected ${KIND_NAMES[kind]}`, { file, offset: 12 });
  return b.readUInt32LE(16);
}

/** The 40-byte header of a page record. */
export function encodeRecordHeader(length: number, key: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  out.writeUInt32LE(length, 0);
  out.set(key, 4);
  out.writeUInt32LE(crc32(out.subarray(0, 36)), 36);
  return out;
}

/** One page reference in a manifest. */
export interface ManifestEntry {
  readonly key: string;
  readonly segment: number;
  readonly length: number;
  /** Offset of the record (its header) in the segment file. */
  readonly offset: number;
}

export interface Manifest {
  readonly tick: number;
  readonly meta: Uint8Array;
  readonly entries: readonly ManifestEntry[];
}

export function manifestSize(metaLength: number, pages: number): number {
  return HEADER_BYTES + 16 + metaLength + pages * MANIFEST_ENTRY_BYTES + 4;
}

/** @throws SnapshotError SNAPSHOT_LIMIT when the manifest would exceed {@link MAX_MANIFEST_BYTES} */
export function encodeManifest(tick: number, meta: Uint8Array, entries: readonly ManifestEntry[]): Buffer {
  const size = manifestSize(meta.byteLength, entries.length);
  if (size > MAX_MANIFEST_BYTES) {
    throw new SnapshotError('SNAPSHOT_LIMIT', `tick ${tick}: its manifest would take ${size} bytes (${entries.length} pages, ${meta.byteLength} meta bytes); the limit is ${MAX_MANIFEST_BYTES}`, { tick });
  }
  const out = Buffer.alloc(size);
  encodeFileHeader(KIND_MANIFEST).copy(out, 0);
  out.writeBigUInt64LE(BigInt(tick), 32);
  out.writeUInt32LE(entries.length, 40);
  out.writeUInt32LE(meta.byteLength, 44);
  out.set(meta, MANIFEST_FIXED_BYTES);
  let at = MANIFEST_FIXED_BYTES + meta.byteLength;
  for (const e of entries) {
    out.write(e.key, at, KEY_BYTES, 'hex');
    out.writeUInt32LE(e.segment, at + 32);
    out.writeUInt32LE(e.length, at + 36);
    out.writeBigUInt64LE(BigInt(e.offset), at + 40);
    at += MANIFEST_ENTRY_BYTES;
  }
  out.writeUInt32LE(crc32(out.subarray(HEADER_BYTES, at)), at);
  return out;
}

/** What the first 48 bytes of a manifest declare. */
export interface ManifestPrefix {
  readonly tick: number;
  readonly pages: number;
  readonly metaBytes: number;
  /** The file size these counts imply. */
  readonly size: number;
}

const corruptAt = (file: string, offset: number, what: string): SnapshotError => new SnapshotError('SNAPSHOT_CORRUPT', `${file}: ${what} at offset ${offset}`, { file, offset });

/**
 * Checks the file header and reads the fixed part of a manifest (at least its first 48 bytes), and
 * checks what it declares against `fileSize` and {@link MAX_MANIFEST_BYTES} — before anything the
 * size of the whole file is allocated.
 */
export function decodeManifestPrefix(bytes: Uint8Array, file: string, fileSize: number): ManifestPrefix {
  checkFileHeader(bytes, file, KIND_MANIFEST);
  if (bytes.byteLength < MANIFEST_FIXED_BYTES || fileSize < manifestSize(0, 0)) throw corruptAt(file, HEADER_BYTES, `truncated manifest (${fileSize} bytes)`);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tick = b.readBigUInt64LE(32);
  if (tick > BigInt(Number.MAX_SAFE_INTEGER)) throw corruptAt(file, 32, `tick ${tick} is not a safe integer`);
  const pages = b.readUInt32LE(40);
  const metaBytes = b.readUInt32LE(44);
  const size = manifestSize(metaBytes, pages);
  if (size !== fileSize) throw corruptAt(file, 40, `manifest sizes (${pages} pages, ${metaBytes} meta bytes: ${size} bytes) do not match its length ${fileSize}`);
  if (size > MAX_MANIFEST_BYTES) throw corruptAt(file, 40, `manifest of ${size} bytes (${pages} pages, ${metaBytes} meta bytes) exceeds the limit of ${MAX_MANIFEST_BYTES}`);
  return { tick: Number(tick), pages, metaBytes, size };
}

/**
 * Parses and checks a manifest: header, sizes, body checksum, then each entry's fields (segment
 * ids from 1, record offsets past the segment header and safe integers). SNAPSHOT_CORRUPT names
 * the file and the offset of the failed check. Where the entries point is checked against the
 * segments by the store (`manifestFile.ts`).
 */
export function decodeManifest(bytes: Uint8Array, file: string): Manifest {
  const { tick, pages: n, metaBytes: m } = decodeManifestPrefix(bytes, file, bytes.byteLength);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = b.length - 4;
  if (b.readUInt32LE(end) !== crc32(b.subarray(HEADER_BYTES, end))) throw corruptAt(file, HEADER_BYTES, 'manifest checksum mismatch over the body');
  const entries: ManifestEntry[] = new Array(n);
  let at = MANIFEST_FIXED_BYTES + m;
  for (let i = 0; i < n; i++, at += MANIFEST_ENTRY_BYTES) {
    const segment = b.readUInt32LE(at + 32);
    const offset = b.readBigUInt64LE(at + 40);
    if (segment === 0) throw corruptAt(file, at, `page ${i} names segment 0 (segments are numbered from 1)`);
    if (offset < BigInt(HEADER_BYTES) || offset > BigInt(Number.MAX_SAFE_INTEGER)) throw corruptAt(file, at, `page ${i} has record offset ${offset}, outside its segment's records`);
    entries[i] = { key: keyToHex(b.subarray(at, at + 32)), segment, length: b.readUInt32LE(at + 36), offset: Number(offset) };
  }
  return { tick, meta: bytes.subarray(MANIFEST_FIXED_BYTES, MANIFEST_FIXED_BYTES + m), entries };
}

/** File names in the store directory. */
export const STORE_FILE = 'store.cstore';
export const segmentName = (id: number): string => `seg-${String(id).padStart(8, '0')}.cseg`;
export const manifestName = (tick: number): string => `tick-${String(tick).padStart(16, '0')}.ctick`;
export const SEGMENT_RE = /^seg-(\d{8,})\.cseg$/;
export const MANIFEST_RE = /^tick-(\d{16,})\.ctick$/;
export const TEMP_SUFFIX = '.tmp';
