/**
 * One batch on the pool, from the main thread: prepare shared memory, wake every worker with a
 * single notify, wait on the barrier (Atomics.waitAsync, so the main event loop stays free), then
 * collect failures. Runs only on the thread that owns the pool, one batch at a time.
 */
import { receiveMessageOnPort } from 'node:worker_threads';

import { fromThrownRecord, jobFailedError } from '../execute.js';
import { PENDING, type JobBatch } from '../jobBatch.js';
import type { BatchResult, JobFailure, NotRunJob } from '../scheduler.js';
import type { FailureMessage } from '../worker/workerLoop.js';
import { settleDeaths, type DeathContext } from './deathAccounting.js';
import { distribute } from './distribute.js';
import * as L from './layout.js';
import type { PoolState } from './poolState.js';
import type { WorkerHandle } from './workerHandle.js';

/** The batch in flight, visible to the death handler. */
export interface InFlight extends DeathContext {
  /** Wakes the barrier wait so that deaths get settled. */
  wake: () => void;
}

/** Waits until every live participant of the previous batch has left it (no deque access after). */
export async function waitCheckouts(state: PoolState): Promise<void> {
  const { ctl } = state.mem;
  const last = state.lastBatch;
  if (!last) return;
  for (let spins = 0; ; spins++) {
    const pending = last.participants.some((h) => !h.dead && Atomics.load(ctl, L.slotWord(h.slot, L.CHECKOUT_GEN)) < last.gen);
    if (!pending) return;
    if (spins < 1000) continue;
    const seen = Atomics.load(ctl, L.CHECKOUTS);
    const w = Atomics.waitAsync(ctl, L.CHECKOUTS, seen, 5);
    if (w.async) await w.value;
  }
}

/** Runs `batch` on the pool (the caller has made sure every worker is ready and no batch is in flight). */
export async function runBatch(state: PoolState, batch: JobBatch, started: number): Promise<BatchResult> {
  const { ctl } = state.mem;
  await waitCheckouts(state);
  const n = batch.length;
  const views = batch.memory;
  const threads = state.threads;
  const gen = ++state.gen;
  state.batches++;
  // Every job's result and ranBy are written when it settles (run, failed or not run), so only
  // the status needs resetting.
  views.status.fill(PENDING, 0, n);
  // Plain stores below are published to the workers by the seq-cst store of GEN further down.
  distribute(ctl, views, n, threads, batch.hasHints, state.scratch);
  const participants: WorkerHandle[] = [];
  for (let s = 0; s < threads; s++) {
    const h = state.handles[s]!;
    participants.push(h);
    state.owners[s]!.reset();
    ctl[L.slotWord(s, L.EXECUTED)] = 0;
    ctl[L.slotWord(s, L.IDLE_GEN)] = 0;
    ctl[L.slotWord(s, L.CURRENT)] = -1;
    if (h.bufferSent !== views.buffer) {
      h.port.postMessage({ type: 'batch-buffer', buffer: views.buffer, capacity: views.capacity });
      h.bufferSent = views.buffer;
      Atomics.store(ctl, L.slotWord(s, L.CONTROL_PENDING), 1);
    }
  }
  Atomics.store(ctl, L.TOTAL, n);
  Atomics.store(ctl, L.NOT_RUN_COUNT, 0);
  Atomics.store(ctl, L.THREADS, threads);
  Atomics.store(ctl, L.GEN, gen);
  const flight: InFlight = {
    ctl, gen, n, views, stealers: state.stealers, participants, deaths: [], notRun: [], wake: () => undefined,
  };
  state.inFlight = flight;
  // An empty batch wakes nobody, so nobody checks out of it: there is nothing to wait for next time.
  state.lastBatch = n === 0 ? undefined : { gen, participants };
  if (n === 0) Atomics.store(ctl, L.DONE_GEN, gen);
  else {
    // The one wake-up of the batch: every parked worker, one syscall.
    Atomics.add(ctl, L.EPOCH, 1);
    Atomics.notify(ctl, L.EPOCH);
  }
  try {
    await waitDone(flight);
  } finally {
    state.inFlight = undefined;
  }
  const failures = drainFailures(participants, gen, views.jobs);
  const notRun: readonly NotRunJob[] = flight.notRun;
  const result: BatchResult = { batch: gen, jobs: n, failures, notRun, elapsedMs: performance.now() - started };
  for (const d of flight.deaths) state.reportExit(d, gen, notRun.filter((j) => j.worker === d.slot || j.worker === -1));
  return result;
}

async function waitDone(f: InFlight): Promise<void> {
  const { ctl, gen } = f;
  for (;;) {
    if (f.deaths.length > 0) {
      await settleDeaths(f);
      return;
    }
    const w = Atomics.waitAsync(ctl, L.DONE_GEN, gen - 1);
    if (!w.async) return;
    const woken = new Promise<void>((resolve) => (f.wake = resolve));
    await Promise.race([w.value, woken]);
    if (Atomics.load(ctl, L.DONE_GEN) >= gen && f.deaths.length === 0) return;
  }
}

function drainFailures(participants: readonly WorkerHandle[], gen: number, jobs: Int32Array): JobFailure[] {
  const failures: JobFailure[] = [];
  for (const h of participants) {
    for (let m = receiveMessageOnPort(h.port); m !== undefined; m = receiveMessageOnPort(h.port)) {
      const msg = m.message as FailureMessage;
      if (msg.batch !== gen) continue;
      failures.push({ jobId: msg.jobId, kind: jobs[msg.jobId * 6]!, worker: h.slot, error: jobFailedError(msg.jobId, msg.kind, h.slot, fromThrownRecord(msg.error)) });
    }
    if (h.dead) h.port.close();
  }
  return failures.sort((a, b) => a.jobId - b.jobId);
}
