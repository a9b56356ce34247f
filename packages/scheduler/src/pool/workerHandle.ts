/**
 * Starts one pool worker and tracks it from the main thread: readiness, module-load replies, the
 * synchronous control port, and its exit. Everything here runs on the main thread.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

import { SchedulerError } from '../errors.js';
import { fromThrownRecord } from '../execute.js';
import type { ModuleSpec, PoolWorkerData, WorkerReply } from '../worker/workerData.js';
import type { PoolMemory } from './layout.js';

/**
 * The worker entry. From dist (every user, every benchmark) it is the compiled `workerMain.js`.
 * Only when this file itself runs as TypeScript (in-repo tests through the source condition) does
 * a `.mjs` bootstrap register tsx in the worker first: Node 20 cannot start a `.ts` worker.
 */
function entryPoint(): { script: URL; entry?: string } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { script: new URL('../worker/workerMain.js', here) };
  return { script: new URL('../worker/devBootstrap.mjs', here), entry: new URL('../worker/workerMain.ts', here).href };
}

/** The main thread's view of one worker. */
export interface WorkerHandle {
  readonly slot: number;
  /** The worker takes part in batches with a generation above this. */
  readonly joinGen: number;
  readonly worker: Worker;
  /** Main's end of the synchronous channel: control out, failure reports in. */
  readonly port: MessagePort;
  /** Resolves when the worker loaded its modules and entered its loop. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code once the thread is gone. */
  readonly exited: Promise<number>;
  /** True once the thread has exited. */
  dead: boolean;
  /** True when main asked it to stop (its exit is then not a death). */
  stopping: boolean;
  /** True once it loaded its modules (a worker that dies before is a start failure, not replaced). */
  started: boolean;
  /** The uncaught error it died of, if any. */
  error: Error | undefined;
  /** The batch buffer this worker last received. */
  bufferSent: SharedArrayBuffer | undefined;
  /** Resolves when the worker replied to load request `id`. */
  loaded(id: number): Promise<void>;
}

export interface SpawnOptions {
  readonly mem: PoolMemory;
  readonly slot: number;
  readonly joinGen: number;
  readonly spinMicros: number;
  readonly modules: readonly ModuleSpec[];
  /** Called on the main thread when the worker exits without having been asked to. */
  readonly onDeath: (handle: WorkerHandle, exitCode: number) => void;
}

/** Starts a worker for `slot`. */
export function spawnWorker(o: SpawnOptions): WorkerHandle {
  const { port1, port2 } = new MessageChannel();
  const { script, entry } = entryPoint();
  const data: PoolWorkerData = {
    ctl: o.mem.ctl.buffer as SharedArrayBuffer,
    stats: o.mem.stats.buffer as SharedArrayBuffer,
    maxThreads: o.mem.maxThreads,
    capacity: o.mem.capacity,
    slot: o.slot,
    joinGen: o.joinGen,
    spinMicros: o.spinMicros,
    modules: o.modules,
    port: port2,
    ...(entry !== undefined ? { entry } : {}),
  };
  const worker = new Worker(script, { workerData: data, transferList: [port2] });
  const loads = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let markReady!: () => void;
  let failReady!: (e: Error) => void;
  let markExited!: (code: number) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  ready.catch(() => undefined); // observed by whoever awaits it; avoid an unhandled rejection here
  const handle: WorkerHandle = {
    slot: o.slot,
    joinGen: o.joinGen,
    worker,
    port: port1,
    ready,
    exited: new Promise<number>((resolve) => (markExited = resolve)),
    dead: false,
    stopping: false,
    started: false,
    error: undefined,
    bufferSent: undefined,
    loaded: (id) => new Promise<void>((resolve, reject) => loads.set(id, { resolve, reject })),
  };
  worker.on('message', (raw: WorkerReply) => {
    if (raw.type === 'ready') {
      if (raw.error) failReady(new SchedulerError('SCHEDULER_WORKER_START', `worker ${o.slot} could not load its job modules: ${raw.error.message}`, { cause: fromThrownRecord(raw.error) }));
      else {
        handle.started = true;
        markReady();
      }
    } else {
      const waiter = loads.get(raw.id);
      loads.delete(raw.id);
      if (raw.error) waiter?.reject(new SchedulerError('SCHEDULER_JOB_MODULE', `worker ${o.slot}: ${raw.error.message}`, { cause: fromThrownRecord(raw.error) }));
      else waiter?.resolve();
    }
  });
  worker.on('error', (error) => {
    handle.error = error;
  });
  worker.on('exit', (code) => {
    handle.dead = true; // port1 stays open: the pool drains failures the worker reported before dying
    const gone = new SchedulerError('SCHEDULER_WORKER_START', `worker ${o.slot} exited with code ${code}`, handle.error ? { cause: handle.error } : undefined);
    failReady(gone);
    for (const waiter of loads.values()) waiter.reject(gone);
    loads.clear();
    markExited(code);
    if (!handle.stopping) o.onDeath(handle, code);
  });
  return handle;
}
