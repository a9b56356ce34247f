/**
 * Full-tick write throughput (64 MiB of new pages) against the physical limit: the same bytes
 * written sequentially to a new file and fsynced, in the same run. Then a tick with 1 % of its
 * pages changed (bytes written, time), and how long a write blocks the caller's event loop.
 */
import { createBenchSuite } from '@concurrengine/bench-harness';
import { openFileSnapshotStore, type PageKey } from '@concurrengine/snapshot';

import { benchDir, mb, PAGE_BYTES, PAGES, rawWriteFsync, SEED, sharedPages, stamp, withLoopLag } from './common.js';

const dir = benchDir();
const pages = sharedPages();
const TICK_BYTES = PAGES * PAGE_BYTES;
const CHANGED = Math.round(PAGES / 100);
const worker = await openFileSnapshotStore(`${dir}/worker`, { segmentBytes: TICK_BYTES });
const inThread = await openFileSnapshotStore(`${dir}/thread`, { worker: false, segmentBytes: TICK_BYTES });
let version = 0;
let tick = 0;
/** The worker store's latest page keys (the 1 % cases pass unchanged pages by key). */
let lastKeys: readonly PageKey[] = [];

/** One full tick of new pages; drops older ticks afterwards (untimed) so the disk does not fill. */
async function fullTick(store: typeof worker): Promise<{ ms: number; bytes: number; lagMs: number }> {
  stamp(pages, ++version);
  const t = performance.now();
  const { value, maxLagMs } = await withLoopLag(() => store.writeTick({ tick: ++tick, meta: new Uint8Array(64), pages }));
  const ms = performance.now() - t;
  if (store === worker) lastKeys = value.pageKeys;
  await store.compact({ keepLast: 1 });
  return { ms, bytes: value.bytesWritten, lagMs: maxLagMs };
}

const rawMs = (): number => {
  stamp(pages, ++version);
  return rawWriteFsync(dir, pages);
};

let lastRaw = 0;
let lastBlock = { ours: 0, peer: 0 };
let onePct = { bytes: 0, ms: 0, goal: 0 };

await createBenchSuite({ package: 'snapshot', seed: SEED })
  .measure({
    case: 'full-tick-64MiB',
    unit: 'MB/s',
    better: 'higher',
    samples: 10,
    ours: { name: 'writeTick (worker, SAB pages)', sample: async () => mb(TICK_BYTES, (await fullTick(worker)).ms) },
    peer: { name: 'raw write+fsync of the same bytes', sample: () => mb(TICK_BYTES, (lastRaw = rawMs())) },
  })
  .measure({
    case: 'full-tick-64MiB-caller-thread',
    unit: 'MB/s',
    better: 'higher',
    samples: 6,
    ours: { name: 'writeTick (worker: false)', sample: async () => mb(TICK_BYTES, (await fullTick(inThread)).ms) },
    peer: { name: 'raw write+fsync of the same bytes', sample: () => mb(TICK_BYTES, rawMs()) },
  })
  .measure({
    case: 'main-thread-block-64MiB',
    unit: 'ms',
    better: 'lower',
    samples: 6,
    ours: { name: 'longest event-loop stall, worker store', sample: async () => (lastBlock.ours = (await fullTick(worker)).lagMs) },
    peer: { name: 'same, worker: false (hashing on the caller)', sample: async () => (lastBlock.peer = (await fullTick(inThread)).lagMs) },
  })
  .measure({
    case: 'tick-1pct-changed-bytes',
    unit: 'bytes',
    better: 'lower',
    samples: 10,
    ours: {
      name: `writeTick, ${CHANGED} of ${PAGES} pages new, rest by key`,
      sample: async () => {
        const changed = new Set(Array.from({ length: CHANGED }, (_, i) => (i * 97 + version) % PAGES));
        for (const i of changed) new DataView(pages[i]!.buffer, pages[i]!.byteOffset, 8).setFloat64(0, ++version);
        const input = pages.map((p, i) => (changed.has(i) ? p : lastKeys[i]!));
        const t = performance.now();
        const r = await worker.writeTick({ tick: ++tick, meta: new Uint8Array(64), pages: input });
        onePct = { bytes: r.bytesWritten, ms: performance.now() - t, goal: CHANGED * PAGE_BYTES };
        lastKeys = r.pageKeys;
        await worker.compact({ keepLast: 1 });
        return r.bytesWritten;
      },
    },
    peer: { name: 'the changed pages alone (goal: + manifest)', sample: () => CHANGED * PAGE_BYTES },
  })
  .measure({
    case: 'tick-1pct-changed-time',
    unit: 'ms',
    better: 'lower',
    samples: 10,
    ours: {
      name: 'writeTick 1 % changed (worker)',
      sample: async () => {
        const changed = new Set(Array.from({ length: CHANGED }, (_, i) => (i * 89 + version) % PAGES));
        for (const i of changed) new DataView(pages[i]!.buffer, pages[i]!.byteOffset, 8).setFloat64(0, ++version);
        const input = pages.map((p, i) => (changed.has(i) ? p : lastKeys[i]!));
        const t = performance.now();
        const r = await worker.writeTick({ tick: ++tick, meta: new Uint8Array(64), pages: input });
        const ms = performance.now() - t;
        lastKeys = r.pageKeys;
        await worker.compact({ keepLast: 1 });
        return ms;
      },
    },
    peer: { name: 'raw write+fsync of the changed bytes', sample: () => rawWriteFsync(dir, pages.slice(0, CHANGED)) },
  })
  .run();

await worker.close();
await inThread.close();
console.log(`last samples: raw 64 MiB ${lastRaw.toFixed(1)} ms; event-loop stall worker ${lastBlock.ours.toFixed(2)} ms vs caller thread ${lastBlock.peer.toFixed(1)} ms; 1 % tick ${onePct.bytes} bytes (${onePct.goal} of pages) in ${onePct.ms.toFixed(2)} ms`);
