/**
 * Opening a store directory: check the store header, read every manifest, find the segments.
 * Opening never changes the directory; crash leftovers are removed by {@link cleanLeftovers}
 * before the first write or compaction.
 */
import { join } from 'node:path';

import { SnapshotError } from '../errors.js';
import type { FileSystemSeam } from '../fileSystem.js';
import { checkFileHeader, encodeFileHeader, HEADER_BYTES, KIND_STORE, MANIFEST_ENTRY_BYTES, MANIFEST_FIXED_BYTES, MANIFEST_RE, SEGMENT_RE, STORE_FILE, TEMP_SUFFIX, type ManifestEntry } from '../format.js';
import { io, publishFile, readHead, syncDir } from './io.js';
import { readManifest } from './manifestFile.js';
import { readRecordHeader } from './segments.js';
import { locationOf, retain, type PageRef, type StoreState, type TickRecord } from './state.js';

export interface LoadOptions {
  readonly fs: FileSystemSeam;
  /** Create the directory and the store header when missing (default true). */
  readonly create: boolean;
  readonly segmentBytes: number;
}

export async function loadStore(dir: string, options: LoadOptions): Promise<StoreState> {
  const { fs } = options;
  if (options.create) await io('mkdir', dir, () => fs.mkdir(dir));
  const names = await io('readdir', dir, () => fs.readdir(dir));
  const storeFile = join(dir, STORE_FILE);
  if (names.includes(STORE_FILE)) {
    checkFileHeader(await readHead(fs, storeFile, HEADER_BYTES), storeFile, KIND_STORE);
  } else if (names.some((n) => SEGMENT_RE.test(n) || MANIFEST_RE.test(n)) || !options.create) {
    throw new SnapshotError('SNAPSHOT_FORMAT', `${dir} is not a snapshot store: it has no ${STORE_FILE} header file`, { file: storeFile });
  } else {
    await publishFile(fs, dir, STORE_FILE, encodeFileHeader(KIND_STORE));
  }

  const state: StoreState = {
    dir,
    fs,
    segmentBytes: options.segmentBytes,
    locations: new Map(),
    index: new Map(),
    ticks: new Map(),
    order: [],
    segments: new Map(),
    active: undefined,
    nextSegment: 1,
    cleaned: false,
    unchecked: new WeakSet(),
    withdrawFailures: 0,
    headerBytes: HEADER_BYTES,
  };
  for (const name of names) {
    const m = SEGMENT_RE.exec(name);
    if (!m) continue;
    const id = Number(m[1]);
    const file = join(dir, name);
    const fd = await io('open', file, () => fs.open(file, 'r'));
    const size = await io('fstat', file, () => fs.size(fd));
    state.segments.set(id, { id, file, size, readFd: fd });
    state.nextSegment = Math.max(state.nextSegment, id + 1);
  }
  const manifests = names.flatMap((name) => {
    const m = MANIFEST_RE.exec(name);
    return m ? [{ tick: Number(m[1]), name }] : [];
  });
  manifests.sort((a, b) => a.tick - b.tick);
  for (const { tick, name } of manifests) state.ticks.set(tick, await loadTick(state, tick, join(dir, name)));
  state.order = manifests.map((m) => m.tick);
  return state;
}

async function loadTick(state: StoreState, tick: number, file: string): Promise<TickRecord> {
  try {
    const manifest = await readManifest(state, file, tick);
    const entriesAt = MANIFEST_FIXED_BYTES + manifest.meta.byteLength;
    await settleClaims(state, manifest.entries, file, tick, entriesAt);
    const refs = manifest.entries.map((e) => retain(state, e.key, e.segment, e.offset, e.length));
    // Found in a manifest, not written by this store: checked before a new tick shares them (append.ts).
    for (const ref of refs) state.unchecked.add(ref);
    return { tick, file, manifestBytes: manifest.bytes, refs, entriesAt };
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    return { tick, file, manifestBytes: 0, refs: [], broken: error };
  }
}

/**
 * Two manifests that say different things (key or length) about the record at one location cannot
 * both be right: the record's own header (CRC-checked) decides. The tick being loaded fails if it
 * is wrong or undecidable; a tick loaded before it that made the wrong claim is marked unreadable
 * and its claims withdrawn — so a crafted manifest never decides which record a key names for the
 * dedupe index or for compaction, and never fails a sound tick.
 */
async function settleClaims(state: StoreState, entries: readonly ManifestEntry[], file: string, tick: number, entriesAt: number): Promise<void> {
  const own = new Map<string, ManifestEntry>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const loc = locationOf(e.segment, e.offset);
    const mine = own.get(loc);
    const held = state.locations.get(loc);
    const claim = mine ?? held;
    own.set(loc, e);
    if (!claim || (claim.key === e.key && claim.length === e.length)) continue;
    const at = entriesAt + i * MANIFEST_ENTRY_BYTES;
    const truth = mine ? undefined : await readRecordHeader(state, e.segment, e.offset);
    if (!truth || truth.key !== e.key || truth.length !== e.length) {
      throw new SnapshotError('SNAPSHOT_CORRUPT', `tick ${tick}: ${file}: page ${i} says the record at ${e.offset} in segment ${e.segment} is ${e.key.slice(0, 16)}… (${e.length} bytes); the record and the other manifests disagree, at offset ${at}`, { file, offset: at, tick });
    }
    withdraw(state, held!, e);
  }
}

/** Marks every loaded tick that holds the wrong claim `wrong` unreadable and drops its references. */
function withdraw(state: StoreState, wrong: PageRef, right: ManifestEntry): void {
  for (const record of [...state.ticks.values()]) {
    const i = record.refs.indexOf(wrong);
    if (i < 0) continue;
    const at = (record.entriesAt ?? 0) + i * MANIFEST_ENTRY_BYTES;
    const broken = new SnapshotError(
      'SNAPSHOT_CORRUPT',
      `tick ${record.tick}: ${record.file}: page ${i} says the record at ${wrong.offset} in segment ${wrong.segment} is ${wrong.key.slice(0, 16)}… (${wrong.length} bytes); the record is ${right.key.slice(0, 16)}… (${right.length} bytes), at offset ${at}`,
      { file: record.file, offset: at, tick: record.tick },
    );
    for (const ref of record.refs) {
      if (--ref.refs > 0) continue;
      state.locations.delete(locationOf(ref.segment, ref.offset));
      if (state.index.get(ref.key) === ref) state.index.delete(ref.key);
    }
    state.ticks.set(record.tick, { tick: record.tick, file: record.file, manifestBytes: record.manifestBytes, refs: [], broken });
  }
}

/**
 * Removes what a crash can leave behind: temp files (unpublished manifests) and segments no listed
 * tick references (appended but never published). Skipped for segments while any manifest is
 * unreadable, since its references are unknown.
 */
export async function cleanLeftovers(state: StoreState): Promise<void> {
  if (state.cleaned) return;
  const { fs, dir } = state;
  let changed = false;
  for (const name of await io('readdir', dir, () => fs.readdir(dir))) {
    if (!name.endsWith(TEMP_SUFFIX)) continue;
    await io('unlink', join(dir, name), () => fs.unlink(join(dir, name)));
    changed = true;
  }
  const anyBroken = [...state.ticks.values()].some((t) => t.broken);
  if (!anyBroken) {
    const used = new Set<number>();
    for (const ref of state.locations.values()) used.add(ref.segment);
    for (const info of [...state.segments.values()]) {
      if (used.has(info.id) || state.active?.info === info) continue;
      await deleteSegment(state, info.id);
      changed = true;
    }
  }
  if (changed) await syncDir(fs, dir);
  state.cleaned = true;
}

/** Closes a segment's descriptors and unlinks it (the caller syncs the directory). */
export async function deleteSegment(state: StoreState, id: number): Promise<void> {
  const info = state.segments.get(id);
  if (!info) return;
  if (info.readFd !== undefined) {
    const fd = info.readFd;
    info.readFd = undefined;
    await io('close', info.file, () => state.fs.close(fd));
  }
  if (state.active?.info === info) {
    const fd = state.active.fd;
    state.active = undefined;
    await io('close', info.file, () => state.fs.close(fd));
  }
  await io('unlink', info.file, () => state.fs.unlink(info.file));
  state.segments.delete(id);
}
