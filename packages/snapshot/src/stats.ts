/** Store statistics computed from per-tick page references (shared by the memory and file stores). */
import type { StoreStats, TickStats } from './snapshotStore.js';

/** One listed tick as the stats need it: its page keys in order, their sizes, its manifest size. */
export interface TickPages {
  readonly tick: number;
  readonly keys: readonly string[];
  readonly lengths: readonly number[];
  readonly manifestBytes: number;
}

export function computeStats(ticks: readonly TickPages[], storage: { bytesOnDisk: number; segments: number }): StoreStats {
  const tickCount = new Map<string, number>();
  const sizes = new Map<string, number>();
  const perTick: TickStats[] = [];
  let pageRefs = 0;
  let logicalBytes = 0;
  let previous: readonly string[] = [];
  for (const t of ticks) {
    const seen = new Set<string>();
    let bytes = 0;
    let sharedWithPrevious = 0;
    t.keys.forEach((key, i) => {
      const length = t.lengths[i] ?? 0;
      bytes += length;
      sizes.set(key, length);
      if (previous[i] === key) sharedWithPrevious++;
      if (!seen.has(key)) {
        seen.add(key);
        tickCount.set(key, (tickCount.get(key) ?? 0) + 1);
      }
    });
    pageRefs += t.keys.length;
    logicalBytes += bytes;
    perTick.push({ tick: t.tick, pages: t.keys.length, bytes, sharedWithPrevious, manifestBytes: t.manifestBytes });
    previous = t.keys;
  }
  let pageBytes = 0;
  for (const length of sizes.values()) pageBytes += length;
  let pagesShared = 0;
  for (const count of tickCount.values()) if (count > 1) pagesShared++;
  return {
    ticks: ticks.length,
    first: ticks[0]?.tick,
    last: ticks[ticks.length - 1]?.tick,
    bytesOnDisk: storage.bytesOnDisk,
    segments: storage.segments,
    pages: sizes.size,
    pageBytes,
    pagesShared,
    pageRefs,
    logicalBytes,
    dedupeRatio: pageBytes === 0 ? (logicalBytes === 0 ? 0 : Infinity) : logicalBytes / pageBytes,
    perTick,
  };
}
