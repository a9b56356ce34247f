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

export function encodeManifest(tick: number, meta: Uint8Array, entries: readonly ManifestEntry[]): Buffer {
  const out = Buffer.alloc(manifestSize(meta.byteLength, entries.length));
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

/** Parses and checks a manifest; SNAPSHOT_CORRUPT names the file and the offset of the failed check. */
export function decodeManifest(bytes: Uint8Array, file: string): Manifest {
  checkFileHeader(bytes, file, KIND_MANIFEST);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (offset: number, what: string): SnapshotError => new SnapshotError('SNAPSHOT_CORRUPT', `${file}: ${what} at offset ${offset}`, { file, offset });
  if (b.length < manifestSize(0, 0)) throw corrupt(HEADER_BYTES, `truncated manifest (${b.length} bytes)`);
  const end = b.length - 4;
  if (b.readUInt32LE(end) !== crc32(b.subarray(HEADER_BYTES, end))) throw corrupt(HEADER_BYTES, 'manifest checksum mismatch over the body');
  const n = b.readUInt32LE(40);
  const m = b.readUInt32LE(44);
  if (manifestSize(m, n) !== b.length) throw corrupt(40, `manifest sizes (${n} pages, ${m} meta bytes) do not match its length ${b.length}`);
  const entries: ManifestEntry[] = new Array(n);
  let at = MANIFEST_FIXED_BYTES + m;
  for (let i = 0; i < n; i++, at += MANIFEST_ENTRY_BYTES) {
    entries[i] = { key: keyToHex(b.subarray(at, at + 32)), segment: b.readUInt32LE(at + 32), length: b.readUInt32LE(at + 36), offset: Number(b.readBigUInt64LE(at + 40)) };
  }
  return { tick: Number(b.readBigUInt64LE(32)), meta: bytes.subarray(MANIFEST_FIXED_BYTES, MANIFEST_FIXED_BYTES + m), entries };
}

/** File names in the store directory. */
export const STORE_FILE = 'store.cstore';
export const segmentName = (id: number): string => `seg-${String(id).padStart(8, '0')}.cseg`;
export const manifestName = (tick: number): string => `tick-${String(tick).padStart(16, '0')}.ctick`;
export const SEGMENT_RE = /^seg-(\d{8,})\.cseg$/;
export const MANIFEST_RE = /^tick-(\d{16,})\.ctick$/;
export const TEMP_SUFFIX = '.tmp';
