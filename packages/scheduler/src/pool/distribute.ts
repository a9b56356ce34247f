/**
 * Cuts a batch into per-worker injector ranges (main thread, before the wake-up). Jobs without a
 * hint go to workers in contiguous equal chunks (neighbouring jobs, neighbouring memory); hinted
 * jobs go to `hint % threads`. The `order` array lists job ids grouped by worker; worker w's range
 * is order[INJ_NEXT(w) … INJ_END(w)).
 */
import type { BatchViews } from '../jobBatch.js';
import { JOB_STRIDE } from '../jobBatch.js';
import { INJ_END, INJ_NEXT, slotWord } from './layout.js';

/** Buffers whose `order` already holds the identity up to the recorded length. */
const identityDone = new WeakMap<SharedArrayBuffer, number>();

/** Writes `order` and each worker's range for a batch of `n` jobs over `threads` workers. */
export function distribute(ctl: Int32Array, v: BatchViews, n: number, threads: number, hinted: boolean, scratch: Int32Array): void {
  if (!hinted) {
    const done = identityDone.get(v.buffer) ?? 0;
    if (done < n) {
      for (let i = done; i < n; i++) v.order[i] = i;
      identityDone.set(v.buffer, n);
    }
    for (let w = 0; w < threads; w++) {
      ctl[slotWord(w, INJ_NEXT)] = Math.floor((w * n) / threads);
      ctl[slotWord(w, INJ_END)] = Math.floor(((w + 1) * n) / threads);
    }
    return;
  }
  identityDone.set(v.buffer, 0);
  // Counting sort by target worker: pass 1 counts, pass 2 places (stable: ids ascend per worker).
  const counts = scratch;
  counts.fill(0, 0, threads);
  const jobs = v.jobs;
  const target = (id: number): number => {
    const hint = jobs[id * JOB_STRIDE + 1]!;
    return hint >= 0 ? hint % threads : Math.floor((id * threads) / n);
  };
  for (let id = 0; id < n; id++) counts[target(id)]!++;
  let at = 0;
  for (let w = 0; w < threads; w++) {
    const c = counts[w]!;
    ctl[slotWord(w, INJ_NEXT)] = at;
    ctl[slotWord(w, INJ_END)] = at + c;
    counts[w] = at;
    at += c;
  }
  const order = v.order;
  for (let id = 0; id < n; id++) {
    const w = target(id);
    order[counts[w]!++] = id;
  }
}
