/**
 * The file store's operations on one thread, without queueing: {@link queuedStore} adds the call
 * order and the closed check, and the worker (or the caller's thread) runs it.
 */
import { join } from 'node:path';

import { SnapshotError } from '../errors.js';
import type { FileSystemSeam } from '../fileSystem.js';
import { encodeManifest, manifestName, manifestSize, MAX_MANIFEST_BYTES } from '../format.js';
import { checkTickOrder, keepPredicate, tickMissing } from '../pages.js';
import type { CompactOptions, CompactReport, PageKey, StoreStats, TickSnapshot, VerifyReport, WriteResult } from '../snapshotStore.js';
import { computeStats } from '../stats.js';
import { appendPages } from './append.js';
import { compactStore } from './compact.js';
import { publishFile, io } from './io.js';
import { readManifest, withTick } from './manifestFile.js';
import { cleanLeftovers, loadStore } from './load.js';
import { createSegment, readRecords, retireActive } from './segments.js';
import { retain, type ActiveSegment, type StoreState } from './state.js';
import { problemOf, verifyStore } from './verify.js';

/** Default soft size of a segment file. */
export const DEFAULT_SEGMENT_BYTES = 256 << 20;

export interface CoreOptions {
  readonly fs: FileSystemSeam;
  readonly create?: boolean;
  readonly segmentBytes?: number;
}

export class FileStoreCore {
  private constructor(private readonly state: StoreState) {}

  static async open(dir: string, options: CoreOptions): Promise<FileStoreCore> {
    const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    if (!(segmentBytes > 0)) throw new RangeError(`segmentBytes must be positive, got ${segmentBytes}`);
    return new FileStoreCore(await loadStore(dir, { fs: options.fs, create: options.create ?? true, segmentBytes }));
  }

  get dir(): string {
    return this.state.dir;
  }

  async writeTick(tick: number, meta: Uint8Array, pages: ReadonlyArray<ArrayBufferView | PageKey>): Promise<WriteResult> {
    const state = this.state;
    checkTickOrder(tick, state.order[state.order.length - 1]);
    // Refused before anything is appended: a manifest no reader would take (format.ts).
    const size = manifestSize(meta.byteLength, pages.length);
    if (size > MAX_MANIFEST_BYTES) {
      throw new SnapshotError('SNAPSHOT_LIMIT', `tick ${tick}: its manifest would take ${size} bytes (${pages.length} pages, ${meta.byteLength} meta bytes); the limit is ${MAX_MANIFEST_BYTES}`, { tick });
    }
    await cleanLeftovers(state);
    const segment = await this.segmentForAppend();
    const appended = await appendPages(state, segment, tick, pages);
    const manifest = encodeManifest(tick, meta, appended.pages);
    const file = join(state.dir, manifestName(tick));
    try {
      await publishFile(state.fs, state.dir, manifestName(tick), manifest);
    } catch (error) {
      await withdraw(state, file);
      throw error;
    }
    // Published and durable: only now does the tick (and its pages) enter the in-memory view.
    const refs = appended.pages.map((p) => retain(state, p.key, p.segment, p.offset, p.length));
    state.ticks.set(tick, { tick, file, manifestBytes: manifest.byteLength, refs });
    state.order.push(tick);
    return {
      tick,
      pageKeys: appended.pages.map((p) => p.key),
      bytesWritten: appended.bytesAppended + manifest.byteLength,
      pagesWritten: appended.fresh.length,
      pagesShared: pages.length - appended.fresh.length,
    };
  }

  private async segmentForAppend(): Promise<ActiveSegment> {
    const state = this.state;
    const current = state.active;
    if (current && !current.tainted && current.info.size < state.segmentBytes) return current;
    if (current) await retireActive(state);
    state.active = await createSegment(state);
    return state.active;
  }

  async readTick(tick: number): Promise<TickSnapshot> {
    const record = this.state.ticks.get(tick);
    if (!record) throw tickMissing(tick, this.state.order);
    if (record.broken) throw record.broken;
    const manifest = await readManifest(this.state, record.file, tick);
    const results = await readRecords(this.state, manifest.entries);
    const pages = results.map((r) => {
      if (r instanceof SnapshotError) throw withTick(r, tick);
      return r;
    });
    return { tick, meta: manifest.meta, pages, pageKeys: manifest.entries.map((e) => e.key) };
  }

  /** The tick's meta from its manifest alone: its pages are neither read nor checked. */
  async readMeta(tick: number): Promise<Uint8Array> {
    const record = this.state.ticks.get(tick);
    if (!record) throw tickMissing(tick, this.state.order);
    if (record.broken) throw record.broken;
    // A copy: the manifest's buffer also holds 48 bytes per page, which the caller does not want.
    return (await readManifest(this.state, record.file, tick)).meta.slice();
  }

  listTicks(): readonly number[] {
    return this.state.order.slice();
  }

  latest(): number | undefined {
    return this.state.order[this.state.order.length - 1];
  }

  verify(): Promise<VerifyReport> {
    return verifyStore(this.state);
  }

  async compact(options: CompactOptions): Promise<CompactReport> {
    const keep = keepPredicate(options, this.state.order);
    await cleanLeftovers(this.state);
    return compactStore(this.state, keep);
  }

  stats(): StoreStats {
    const state = this.state;
    const ticks = state.order.map((tick) => {
      const record = state.ticks.get(tick)!;
      return { tick, keys: record.refs.map((r) => r.key), lengths: record.refs.map((r) => r.length), manifestBytes: record.manifestBytes };
    });
    let bytesOnDisk = state.headerBytes;
    for (const info of state.segments.values()) bytesOnDisk += info.size;
    for (const t of ticks) bytesOnDisk += t.manifestBytes;
    const unreadable = state.order.flatMap((tick) => {
      const broken = state.ticks.get(tick)!.broken;
      return broken ? [problemOf(broken, state.ticks.get(tick)!.file, tick)] : [];
    });
    return { ...computeStats(ticks, { bytesOnDisk, segments: state.segments.size }), unreadable };
  }

  async close(): Promise<void> {
    const state = this.state;
    await retireActive(state);
    for (const info of state.segments.values()) {
      if (info.readFd === undefined) continue;
      const fd = info.readFd;
      info.readFd = undefined;
      await io('close', info.file, () => state.fs.close(fd));
    }
  }
}

/**
 * After a failed publication: if the rename happened (the directory fsync failed), unlink the
 * manifest so the rejected tick does not reappear on reopen. ENOENT means it never got there; any
 * other failure leaves a complete, checksummed tick that may reappear, which is safe.
 */
async function withdraw(state: StoreState, file: string): Promise<void> {
  await state.fs.unlink(file).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') return;
    state.withdrawFailures++;
  });
}
