/**
 * Writing in the owner's idle time. A store opened with `yieldTo` (a shared Int32 word the owner
 * sets non-zero while it is busy — the engine, during a tick) waits, before hashing each page,
 * until the owner is idle again, at most `MAX_WAIT_MS` per page: on a 2-core machine the hashing
 * of a 1M-actor tick would otherwise take a core from the tick loop exactly while it runs. The cap
 * keeps a store whose owner is never idle (an unpaced loop) writing, only more slowly.
 */
const MAX_WAIT_MS = 8;

let busy: Int32Array | undefined;

/** Set once, in the store's worker thread. */
export function setCourtesy(flag: Int32Array | undefined): void {
  busy = flag;
}

/** Waits while the owner is busy (worker thread only: `Atomics.wait` blocks the thread). */
export function waitForIdle(): void {
  if (!busy) return;
  const state = Atomics.load(busy, 0);
  if (state !== 0) Atomics.wait(busy, 0, state, MAX_WAIT_MS);
}
