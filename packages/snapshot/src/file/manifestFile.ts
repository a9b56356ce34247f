/**
 * Reading one tick's manifest file as untrusted input: the fixed part first, its declared sizes
 * checked against the file's size and the format's limit before the rest is allocated, then the
 * checksum and each entry's fields, then where each entry points (a segment this store holds, a
 * record inside it). Every failure is a SnapshotError naming the file and the tick, so one bad
 * manifest fails its own tick and never the opening of the store.
 */
import { SnapshotError } from '../errors.js';
import { decodeManifest, decodeManifestPrefix, MANIFEST_ENTRY_BYTES, MANIFEST_FIXED_BYTES, RECORD_HEADER_BYTES, type Manifest } from '../format.js';
import { io, readAt } from './io.js';
import type { StoreState } from './state.js';

/** `error` with `tick` set and named in the message (unless it already names one). */
export function withTick(error: SnapshotError, tick: number): SnapshotError {
  if (error.tick !== undefined) return error;
  return new SnapshotError(error.code, `tick ${tick}: ${error.message}`, { ...error.fields(), tick }, { cause: error });
}

/**
 * Reads and checks the manifest of `tick` in `file`.
 * @throws SnapshotError SNAPSHOT_CORRUPT or SNAPSHOT_FORMAT (file, offset, tick), SNAPSHOT_IO
 */
export async function readManifest(state: StoreState, file: string, tick: number): Promise<Manifest & { readonly bytes: number }> {
  const { fs } = state;
  try {
    const fd = await io('open', file, () => fs.open(file, 'r'));
    let bytes: Uint8Array;
    try {
      const size = await io('fstat', file, () => fs.size(fd));
      const prefix = decodeManifestPrefix(await readAt(fs, fd, file, Math.min(size, MANIFEST_FIXED_BYTES), 0), file, size);
      bytes = await readAt(fs, fd, file, prefix.size, 0);
      if (bytes.byteLength !== prefix.size) throw new SnapshotError('SNAPSHOT_CORRUPT', `${file}: shrank to ${bytes.byteLength} bytes while read (expected ${prefix.size})`, { file, offset: bytes.byteLength });
    } finally {
      await io('close', file, () => fs.close(fd));
    }
    const manifest = decodeManifest(bytes, file);
    if (manifest.tick !== tick) throw new SnapshotError('SNAPSHOT_CORRUPT', `${file}: holds tick ${manifest.tick}, its name says ${tick}`, { file, offset: 32 });
    checkEntries(state, manifest, file);
    return { ...manifest, bytes: bytes.byteLength };
  } catch (error) {
    throw error instanceof SnapshotError ? withTick(error, tick) : error;
  }
}

/** Each entry must point at a record inside a segment this store holds. */
function checkEntries(state: StoreState, manifest: Manifest, file: string): void {
  const base = MANIFEST_FIXED_BYTES + manifest.meta.byteLength;
  manifest.entries.forEach((e, i) => {
    const info = state.segments.get(e.segment);
    const at = base + i * MANIFEST_ENTRY_BYTES;
    if (!info) throw new SnapshotError('SNAPSHOT_CORRUPT', `${file}: page ${i} points into segment ${e.segment}, which the store does not hold, at offset ${at}`, { file, offset: at });
    if (e.offset + RECORD_HEADER_BYTES + e.length > info.size) {
      throw new SnapshotError('SNAPSHOT_CORRUPT', `${file}: page ${i} (record at ${e.offset}, ${e.length} bytes) ends past its segment's ${info.size} bytes, at offset ${at}`, { file, offset: at });
    }
  });
}
