/**
 * Opening a store directory: check the store header, read every manifest, find the segments.
 * Opening never changes the directory; crash leftovers are removed by {@link cleanLeftovers}
 * before the first write or compaction.
 */
import { join } from 'node:path';

import { SnapshotError } from '../errors.js';
import type { FileSystemSeam } from '../fileSystem.js';
import { checkFileHeader, decodeManifest, encodeFileHeader, HEADER_BYTES, KIND_STORE, MANIFEST_RE, SEGMENT_RE, STORE_FILE, TEMP_SUFFIX } from '../format.js';
import { io, publishFile, readWhole, syncDir } from './io.js';
import { retain, type StoreState, type TickRecord } from './state.js';

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
    checkFileHeader(await readWhole(fs, storeFile), storeFile, KIND_STORE);
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
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readWhole(state.fs, file);
    const manifest = decodeManifest(bytes, file);
    if (manifest.tick !== tick) throw new SnapshotError('SNAPSHOT_CORRUPT', `${file}: holds tick ${manifest.tick}, its name says ${tick}`, { file, offset: 32, tick });
    const refs = manifest.entries.map((e) => retain(state, e.key, e.segment, e.offset, e.length));
    return { tick, file, manifestBytes: bytes.byteLength, refs };
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    return { tick, file, manifestBytes: bytes?.byteLength ?? 0, refs: [], broken: error };
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
