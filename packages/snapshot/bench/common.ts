/** Shared pieces of the snapshot benchmarks (not a bench file itself). */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, unlinkSync, writevSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createPrng } from '@concurrengine/bench-harness';

export const SEED = 20_250_808;
export const PAGE_BYTES = 64 << 10;
export const PAGES = 1024; // 64 MiB per tick, the size BENCHMARKS.md's raw figure was taken with

/** A temp directory on the real disk, removed at exit. */
export function benchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'snapshot-bench-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Seeded page frames in one SharedArrayBuffer, as the engine hands them (views, zero-copy). */
export function sharedPages(seed = SEED, pages = PAGES, size = PAGE_BYTES): Uint8Array[] {
  const memory = new Uint8Array(new SharedArrayBuffer(pages * size));
  const prng = createPrng(seed);
  const words = new Uint32Array(memory.buffer);
  for (let i = 0; i < words.length; i++) words[i] = (prng.next() * 4294967296) >>> 0;
  return Array.from({ length: pages }, (_, i) => memory.subarray(i * size, (i + 1) * size));
}

/** Makes every page new content (stamps `version` into its first 8 bytes). */
export function stamp(pages: readonly Uint8Array[], version: number): void {
  for (const p of pages) new DataView(p.buffer, p.byteOffset, 8).setFloat64(0, version);
}

/** The physical limit: the same bytes written sequentially to a new file, then fsync. Returns ms. */
export function rawWriteFsync(dir: string, pages: readonly Uint8Array[], name = 'raw.bin'): number {
  const file = join(dir, name);
  const t = performance.now();
  const fd = openSync(file, 'w');
  for (let i = 0; i < pages.length; i += 1024) writevSync(fd, pages.slice(i, i + 1024));
  fsyncSync(fd);
  closeSync(fd);
  const ms = performance.now() - t;
  unlinkSync(file);
  return ms;
}

/** Runs `work` and reports the longest stretch the event loop could not run a 1 ms timer. */
export async function withLoopLag<T>(work: () => Promise<T>): Promise<{ value: T; maxLagMs: number }> {
  let maxLagMs = 0;
  let last = performance.now();
  let running = true;
  const tickLoop = (): void => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last);
    last = now;
    if (running) setTimeout(tickLoop, 1);
  };
  setTimeout(tickLoop, 1);
  last = performance.now();
  const value = await work();
  running = false;
  maxLagMs = Math.max(maxLagMs, performance.now() - last);
  return { value, maxLagMs };
}

export const mb = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);
