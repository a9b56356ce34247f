/**
 * The default `Scheduler`: N worker threads, each owning a Chase–Lev deque, stealing from each
 * other, parked between batches. All methods are called from the thread that created the pool.
 */
import { availableParallelism } from 'node:os';

import { createDeque } from '../deque/createDeque.js';
import { assertCapacity } from '../deque/layout.js';
import { SchedulerError } from '../errors.js';
import { moduleUrl } from '../jobRegistry.js';
import type { JobModuleRef } from '../jobModule.js';
import type { Scheduler, WorkerExitInfo } from '../scheduler.js';
import { allocatePoolMemory, CONTROL_PENDING, dequeBase, EPOCH, slotWord } from './layout.js';
import type { PoolState } from './poolState.js';
import { readStats } from './readStats.js';
import { runBatch, waitCheckouts } from './runBatch.js';
import { spawnWorker, type WorkerHandle } from './workerHandle.js';

/** Options of `createPoolScheduler`. */
export interface PoolSchedulerOptions {
  /** Worker threads (default: `os.availableParallelism()`). */
  readonly threads?: number;
  /** Upper bound for `resize` (default: max(threads, 64)); fixes the size of the shared memory. */
  readonly maxThreads?: number;
  /** Slots per deque, a power of two (default 1024). Jobs beyond it wait in the worker's injector range. */
  readonly capacity?: number;
  /** Job modules loaded into every worker before its first batch. */
  readonly jobModules?: readonly JobModuleRef[];
  /** How long a worker spins before parking, in microseconds (default 50). */
  readonly spinMicros?: number;
  /** Called on the main thread after a worker died and was replaced. Exceptions are re-thrown in a new macrotask. */
  readonly onWorkerExit?: (info: WorkerExitInfo) => void;
}

function checkThreads(n: number, max: number): number {
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new SchedulerError('SCHEDULER_INVALID_ARGUMENT', `threads must be an integer in [1, ${max}]; got ${String(n)}`);
  }
  return n;
}

/** Creates the work-stealing pool. Workers start now; the first call waits until they are ready. */
export function createPoolScheduler(options: PoolSchedulerOptions = {}): Scheduler {
  const initial = options.threads ?? availableParallelism();
  const maxThreads = options.maxThreads ?? Math.max(initial, 64);
  checkThreads(initial, maxThreads);
  const capacity = options.capacity ?? 1024;
  assertCapacity(capacity);
  const spinMicros = options.spinMicros ?? 50;
  const mem = allocatePoolMemory(maxThreads, capacity);
  const deques = Array.from({ length: maxThreads }, (_, s) => createDeque(capacity, mem.ctl, dequeBase(s, maxThreads, capacity)));
  let closed = false; // no new operations accepted
  let shuttingDown = false; // close() is stopping the workers: exits are not deaths
  let queue: Promise<unknown> = Promise.resolve();
  let loadId = 0;

  const state: PoolState = {
    mem,
    handles: [],
    owners: deques.map((d) => d.local),
    stealers: deques.map((d) => d.stealer),
    scratch: new Int32Array(maxThreads),
    modules: (options.jobModules ?? []).map((ref) => ({ url: moduleUrl(ref), data: ref.data })),
    threads: initial,
    gen: 0,
    batches: 0,
    workerExits: 0,
    inFlight: undefined,
    lastBatch: undefined,
    reportExit(handle, gen, notRun) {
      const hook = options.onWorkerExit;
      if (!hook) return;
      const info: WorkerExitInfo = { worker: handle.slot, exitCode: exitCodes.get(handle) ?? 1, batch: gen, notRun, ...(handle.error ? { error: handle.error } : {}) };
      try {
        hook(info);
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
      }
    },
  };
  const exitCodes = new WeakMap<WorkerHandle, number>();

  const spawn = (slot: number): WorkerHandle =>
    spawnWorker({ mem, slot, joinGen: state.gen, spinMicros, modules: state.modules, onDeath });

  function onDeath(handle: WorkerHandle, exitCode: number): void {
    exitCodes.set(handle, exitCode);
    if (shuttingDown || !handle.started || state.handles[handle.slot] !== handle) return;
    state.workerExits++;
    state.handles[handle.slot] = spawn(handle.slot); // the replacement joins from the next batch
    const flight = state.inFlight;
    if (flight && flight.participants.includes(handle)) {
      flight.deaths.push(handle);
      flight.wake();
    } else {
      state.reportExit(handle, 0, []);
    }
  }

  for (let s = 0; s < initial; s++) state.handles[s] = spawn(s);

  const ready = async (): Promise<void> => {
    for (let s = 0; s < state.threads; s++) await state.handles[s]!.ready;
  };

  /** Serialises operations: each waits for the previous one; all reject once closed. */
  function enqueue<T>(op: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new SchedulerError('SCHEDULER_CLOSED', 'the scheduler is closed'));
    const next = queue.then(op, op);
    queue = next.catch(() => undefined);
    return next;
  }

  /** Posts a control message to a worker and wakes every worker (they re-park if it is not theirs). */
  const control = (handles: readonly WorkerHandle[], message: unknown): void => {
    for (const h of handles) {
      h.port.postMessage(message);
      Atomics.store(mem.ctl, slotWord(h.slot, CONTROL_PENDING), 1);
    }
    Atomics.add(mem.ctl, EPOCH, 1);
    Atomics.notify(mem.ctl, EPOCH);
  };

  const stopSlots = async (from: number, to: number): Promise<void> => {
    const leaving: WorkerHandle[] = [];
    for (let s = from; s < to; s++) {
      const h = state.handles[s];
      state.handles[s] = undefined;
      if (!h || h.dead) continue;
      h.stopping = true;
      leaving.push(h);
    }
    control(leaving, { type: 'stop' });
    await Promise.all(leaving.map((h) => h.exited));
    for (const h of leaving) h.port.close();
  };

  return {
    run: (batch) =>
      enqueue(async () => {
        const started = performance.now();
        await ready();
        return runBatch(state, batch, started);
      }),
    resize: (threads) =>
      enqueue(async () => {
        checkThreads(threads, maxThreads);
        await waitCheckouts(state);
        for (let s = state.threads; s < threads; s++) state.handles[s] ??= spawn(s);
        if (threads < state.threads) await stopSlots(threads, state.threads);
        state.threads = threads;
        await ready();
      }),
    ready: () => enqueue(ready),
    loadJobModule: (ref: JobModuleRef) =>
      enqueue(async () => {
        const spec = { url: moduleUrl(ref), data: ref.data };
        await ready();
        await waitCheckouts(state);
        const id = ++loadId;
        const live = state.handles.slice(0, state.threads) as WorkerHandle[];
        const replies = live.map((h) => h.loaded(id));
        control(live, { type: 'load', id, ...spec });
        await Promise.all(replies);
        state.modules.push(spec);
      }),
    stats: () => readStats(mem.stats, state.threads, state.batches, state.workerExits),
    close: () => {
      const done = enqueue(async () => {
        await waitCheckouts(state);
        shuttingDown = true;
        await stopSlots(0, state.handles.length);
      });
      closed = true;
      return done;
    },
  };
}
