/**
 * Compaction, in crash-safe steps (each leaves every listed tick readable):
 *  1. unlink the dropped ticks' manifests, fsync the directory (they are no longer listed);
 *  2. copy the live records of every segment that holds dead ones into new segments, fsync them;
 *  3. republish each kept manifest that points into such a segment (temp, fsync, rename);
 *  4. fsync the directory, then unlink the old segments and the segments nothing references.
 * A crash in 2–3 leaves old and new segments side by side, each manifest pointing at one that
 * exists; the next writer deletes whichever segment no manifest references.
 */
import { basename } from 'node:path';

import { SnapshotError } from '../errors.js';
import { encodeManifest, encodeRecordHeader, HEADER_BYTES, RECORD_HEADER_BYTES } from '../format.js';
import type { CompactReport } from '../snapshotStore.js';
import { io, publishFile, syncDir, writeAll } from './io.js';
import { readManifest } from './manifestFile.js';
import { deleteSegment } from './load.js';
import { createSegment, readRecords, retireActive } from './segments.js';
import { locationOf, releaseTick, retain, type ActiveSegment, type PageRef, type StoreState } from './state.js';

/** Live records are copied in reads of about this size. */
const COPY_SLICE_BYTES = 16 << 20;

export async function compactStore(state: StoreState, keep: (tick: number) => boolean): Promise<CompactReport> {
  const dropped = state.order.filter((t) => !keep(t));
  for (const tick of state.order) {
    const broken = state.ticks.get(tick)?.broken;
    if (broken && keep(tick)) {
      throw new SnapshotError('SNAPSHOT_CORRUPT', `cannot compact while kept tick ${tick} is unreadable (${broken.message}); drop it or restore its manifest`, { ...broken.fields(), tick }, { cause: broken });
    }
  }
  const recordsBefore = state.locations.size;

  // 1. Unpublish.
  for (const tick of dropped) {
    const record = state.ticks.get(tick)!;
    await io('unlink', record.file, () => state.fs.unlink(record.file));
    releaseTick(state, record);
  }
  if (dropped.length > 0) await syncDir(state.fs, state.dir);
  const pagesDropped = recordsBefore - state.locations.size;

  // Which segments go, and which are rewritten.
  const live = new Map<number, PageRef[]>();
  for (const ref of state.locations.values()) {
    const list = live.get(ref.segment);
    if (list) list.push(ref);
    else live.set(ref.segment, [ref]);
  }
  const doomed: number[] = [];
  const rewrite: number[] = [];
  let sizeBefore = 0;
  for (const info of state.segments.values()) {
    const refs = live.get(info.id);
    const liveBytes = HEADER_BYTES + (refs ?? []).reduce((n, r) => n + RECORD_HEADER_BYTES + r.length, 0);
    if (!refs) doomed.push(info.id);
    else if (info.size > liveBytes) rewrite.push(info.id);
    else continue;
    sizeBefore += info.size;
  }
  if (state.active && (doomed.includes(state.active.info.id) || rewrite.includes(state.active.info.id))) await retireActive(state);

  // 2. Copy live records.
  const moved = new Map<string, { segment: number; offset: number }>();
  const sizeAfter = rewrite.length > 0 ? await copyLiveRecords(state, rewrite, live, moved) : 0;

  // 3. Republish the manifests that point into rewritten segments.
  const rewritten = new Set(rewrite);
  for (const tick of state.order) {
    const record = state.ticks.get(tick)!;
    if (!record.refs.some((r) => rewritten.has(r.segment))) continue;
    const manifest = await readManifest(state, record.file, tick);
    const entries = manifest.entries.map((e) => {
      const to = moved.get(locationOf(e.segment, e.offset));
      return to ? { ...e, ...to } : e;
    });
    const bytes = encodeManifest(tick, manifest.meta, entries);
    await publishFile(state.fs, state.dir, basename(record.file), bytes, false);
    const old = record.refs;
    record.refs = entries.map((e) => retain(state, e.key, e.segment, e.offset, e.length));
    for (const ref of old) {
      if (--ref.refs > 0) continue;
      state.locations.delete(locationOf(ref.segment, ref.offset));
      if (state.index.get(ref.key) === ref) state.index.delete(ref.key);
    }
  }
  for (const ref of state.locations.values()) if (!state.index.has(ref.key)) state.index.set(ref.key, ref);

  // 4. Make the renames durable before anything they replaced goes away.
  const gone = [...doomed, ...rewrite];
  if (gone.length > 0) {
    await syncDir(state.fs, state.dir);
    for (const id of gone) await deleteSegment(state, id);
    await syncDir(state.fs, state.dir);
  }
  return {
    ticksDropped: dropped,
    ticksKept: state.order.length,
    pagesDropped,
    bytesReclaimed: Math.max(0, sizeBefore - sizeAfter),
    segmentsDeleted: doomed.length,
    segmentsRewritten: rewrite.length,
  };
}

/** Copies the live records of segments `ids` into new segments; returns the new segments' bytes. */
async function copyLiveRecords(state: StoreState, ids: readonly number[], live: Map<number, PageRef[]>, moved: Map<string, { segment: number; offset: number }>): Promise<number> {
  const targets: ActiveSegment[] = [];
  try {
    let target: ActiveSegment | undefined;
    for (const id of ids) {
      const refs = live.get(id)!.sort((a, b) => a.offset - b.offset);
      for (let i = 0; i < refs.length; ) {
        const slice: PageRef[] = [];
        for (let bytes = 0; i < refs.length && (slice.length === 0 || bytes < COPY_SLICE_BYTES); i++) {
          slice.push(refs[i]!);
          bytes += refs[i]!.length;
        }
        const payloads = await readRecords(state, slice);
        if (!target || target.info.size >= state.segmentBytes) {
          target = await createSegment(state);
          targets.push(target);
        }
        const to = target;
        const at = to.info.size;
        const chunks: Uint8Array[] = [];
        payloads.forEach((payload, n) => {
          if (payload instanceof SnapshotError) throw payload;
          const ref = slice[n]!;
          moved.set(locationOf(ref.segment, ref.offset), { segment: to.info.id, offset: to.info.size });
          chunks.push(encodeRecordHeader(ref.length, Buffer.from(ref.key, 'hex')), payload);
          to.info.size += RECORD_HEADER_BYTES + ref.length;
        });
        await writeAll(state.fs, to.fd, to.info.file, chunks, at);
      }
    }
    for (const t of targets) await io('fsync', t.info.file, () => state.fs.fsync(t.fd));
    return targets.reduce((n, t) => n + t.info.size, 0);
  } finally {
    // Closed on failure too: a half-filled target is referenced by nothing and goes at the next cleanup.
    for (const t of targets) await io('close', t.info.file, () => state.fs.close(t.fd));
  }
}
