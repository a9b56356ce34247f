/**
 * The in-memory store: the same contract as the file store without durability. Pages are copied
 * in (so the caller may reuse its buffers as soon as `writeTick` is called) and copied out.
 * Everything runs on the caller's thread, in call order.
 */
import { SnapshotError } from './errors.js';
import { bytesOf, checkTickOrder, hashPage, isPageKey, keepPredicate, keyToHex, tickMissing } from './pages.js';
import type { CompactReport, PageKey, VerifyProblem, SnapshotStore, StoreStats, TickSnapshot, VerifyReport, WriteResult } from './snapshotStore.js';
import { computeStats } from './stats.js';

interface StoredTick {
  readonly meta: Uint8Array;
  readonly keys: readonly PageKey[];
}

/** Creates an empty in-memory {@link SnapshotStore}. */
export function createMemorySnapshotStore(): SnapshotStore {
  const pages = new Map<PageKey, Uint8Array>();
  const ticks = new Map<number, StoredTick>();
  let order: number[] = [];
  let closed = false;

  const open = (): void => {
    if (closed) throw new SnapshotError('SNAPSHOT_CLOSED', 'the memory snapshot store is closed');
  };
  const reclaim = (): { pages: number; bytes: number } => {
    const live = new Set<PageKey>();
    for (const t of ticks.values()) for (const key of t.keys) live.add(key);
    let count = 0;
    let bytes = 0;
    for (const [key, page] of pages) {
      if (live.has(key)) continue;
      pages.delete(key);
      count++;
      bytes += page.byteLength;
    }
    return { pages: count, bytes };
  };

  return {
    async writeTick(input): Promise<WriteResult> {
      open();
      checkTickOrder(input.tick, order[order.length - 1]);
      const keys: PageKey[] = [];
      const fresh = new Map<PageKey, Uint8Array>();
      let bytesWritten = input.meta.byteLength;
      let pagesWritten = 0;
      for (const page of input.pages) {
        if (typeof page === 'string') {
          if (!isPageKey(page) || !pages.has(page)) throw new SnapshotError('SNAPSHOT_PAGE_MISSING', `page ${page} is not in the store`, { tick: input.tick, pageKey: page });
          keys.push(page);
          continue;
        }
        const bytes = bytesOf(page);
        const key = keyToHex(hashPage(bytes));
        keys.push(key);
        if (pages.has(key) || fresh.has(key)) continue;
        fresh.set(key, bytes.slice());
        pagesWritten++;
        bytesWritten += bytes.byteLength;
      }
      for (const [key, page] of fresh) pages.set(key, page);
      ticks.set(input.tick, { meta: input.meta.slice(), keys });
      order.push(input.tick);
      return { tick: input.tick, pageKeys: keys, bytesWritten, pagesWritten, pagesShared: keys.length - pagesWritten };
    },
    async readTick(tick): Promise<TickSnapshot> {
      open();
      const t = ticks.get(tick);
      if (!t) throw tickMissing(tick, order);
      return { tick, meta: t.meta.slice(), pages: t.keys.map((k) => (pages.get(k) as Uint8Array).slice()), pageKeys: t.keys };
    },
    async readMeta(tick): Promise<Uint8Array> {
      open();
      const t = ticks.get(tick);
      if (!t) throw tickMissing(tick, order);
      return t.meta.slice();
    },
    async listTicks() {
      open();
      return order.slice();
    },
    async latest() {
      open();
      return order[order.length - 1];
    },
    async verify(): Promise<VerifyReport> {
      open();
      const problems: VerifyProblem[] = [];
      let bytesChecked = 0;
      const bad = new Set<PageKey>();
      for (const [key, page] of pages) {
        bytesChecked += page.byteLength;
        if (keyToHex(hashPage(page)) !== key) bad.add(key);
      }
      const report = order.map((tick) => {
        const broken = (ticks.get(tick) as StoredTick).keys.filter((k) => bad.has(k));
        for (const key of broken) problems.push({ tick, file: `memory:${key}`, offset: 0, code: 'SNAPSHOT_CORRUPT' as const, message: `page ${key} no longer hashes to its key` });
        return { tick, ok: broken.length === 0 };
      });
      return { ok: problems.length === 0, ticks: report, problems, pagesChecked: pages.size, bytesChecked };
    },
    async compact(options): Promise<CompactReport> {
      open();
      const keep = keepPredicate(options, order);
      const dropped = order.filter((t) => !keep(t));
      for (const t of dropped) ticks.delete(t);
      order = order.filter((t) => ticks.has(t));
      const freed = reclaim();
      return { ticksDropped: dropped, ticksKept: order.length, pagesDropped: freed.pages, bytesReclaimed: freed.bytes, segmentsDeleted: 0, segmentsRewritten: 0 };
    },
    async stats(): Promise<StoreStats> {
      open();
      const list = order.map((tick) => {
        const t = ticks.get(tick) as StoredTick;
        return { tick, keys: t.keys, lengths: t.keys.map((k) => (pages.get(k) as Uint8Array).byteLength), manifestBytes: t.meta.byteLength };
      });
      return computeStats(list, { bytesOnDisk: 0, segments: 0 });
    },
    async close() {
      closed = true;
    },
  };
}
