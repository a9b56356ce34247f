/**
 * The main-thread side of the worker-backed file store. `writeTick` does only this on the
 * caller's thread: pages over a SharedArrayBuffer are posted as views (zero-copy; the caller keeps
 * them unchanged until the promise settles), pages over an ArrayBuffer are copied into one buffer
 * that is transferred, and the request is posted. Hashing and I/O run in the worker.
 */
import { Worker } from 'node:worker_threads';

import { SnapshotError } from '../errors.js';
import { bytesOf } from '../pages.js';
import type { CompactOptions, CompactReport, SnapshotStore, StoreStats, TickSnapshot, TickSnapshotInput, VerifyReport, WriteResult } from '../snapshotStore.js';
import { deserializeError, type Reply, type Request, type WorkerInit } from './protocol.js';

type Body = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** From dist the worker is the compiled `storeWorker.js`; from sources a bootstrap registers tsx first. */
function entryPoint(): { script: URL; entry?: string } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { script: new URL('./storeWorker.js', here) };
  return { script: new URL('./devBootstrap.mjs', here), entry: new URL('./storeWorker.ts', here).href };
}

/** Copies ArrayBuffer-backed pages into one transferable buffer; SharedArrayBuffer views pass as they are. */
function preparePages(pages: TickSnapshotInput['pages']): { pages: Array<Uint8Array | string>; transfer: ArrayBuffer[] } {
  let copyBytes = 0;
  for (const p of pages) if (typeof p !== 'string' && !(p.buffer instanceof SharedArrayBuffer)) copyBytes += p.byteLength;
  const arena = new Uint8Array(copyBytes);
  let at = 0;
  const out = pages.map((p) => {
    if (typeof p === 'string') return p;
    const bytes = bytesOf(p);
    if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
    arena.set(bytes, at);
    at += bytes.byteLength;
    return arena.subarray(at - bytes.byteLength, at);
  });
  return { pages: out, transfer: copyBytes > 0 ? [arena.buffer] : [] };
}

export async function openWorkerStore(dir: string, options: { create: boolean; segmentBytes: number | undefined; yieldTo?: Int32Array | undefined }): Promise<SnapshotStore> {
  const { script, entry } = entryPoint();
  const init: WorkerInit = { dir, create: options.create, segmentBytes: options.segmentBytes, ...(options.yieldTo ? { yieldTo: options.yieldTo } : {}), ...(entry !== undefined ? { entry } : {}) };
  const worker = new Worker(script, { workerData: init });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let closed = false;
  let dead: Error | undefined;
  /** Set while a `compact({ keep })` lists the ticks: later requests are posted after its own. */
  let gate: Promise<void> | undefined;

  const opened = new Promise<void>((resolve, reject) => pending.set(0, { resolve: () => resolve(), reject }));
  worker.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (!waiter) return;
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(deserializeError(reply.error));
  });
  const failAll = (error: Error): void => {
    dead = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('error', (error) => failAll(new SnapshotError('SNAPSHOT_CLOSED', `the snapshot store's worker thread failed: ${error.message}`, {}, { cause: error })));
  worker.on('exit', (code) => failAll(new SnapshotError('SNAPSHOT_CLOSED', `the snapshot store's worker thread exited (code ${code})`)));

  const post = <T>(body: Body, transfer: ArrayBuffer[] = []): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    const result = new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (value: unknown) => void, reject }));
    worker.ref();
    worker.postMessage({ ...body, id }, transfer);
    return result;
  };
  /** Posts now, or after the pending gate so that call order is kept. */
  const send = <T>(body: Body, transfer: ArrayBuffer[] = []): Promise<T> => {
    if (closed) return Promise.reject(new SnapshotError('SNAPSHOT_CLOSED', `the snapshot store at ${dir} is closed`));
    if (!gate) return post<T>(body, transfer);
    const result = gate.then(() => post<T>(body, transfer));
    gate = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };

  try {
    await opened;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  worker.unref();

  return {
    writeTick(input): Promise<WriteResult> {
      const { pages, transfer } = preparePages(input.pages);
      return send({ op: 'write', tick: input.tick, meta: input.meta.slice(), pages }, transfer);
    },
    readTick: (tick) => send<TickSnapshot>({ op: 'read', tick }),
    readMeta: (tick) => send<Uint8Array>({ op: 'readMeta', tick }),
    listTicks: () => send<readonly number[]>({ op: 'list' }),
    latest: () => send<number | undefined>({ op: 'latest' }),
    verify: () => send<VerifyReport>({ op: 'verify' }),
    stats: () => send<StoreStats>({ op: 'stats' }),
    compact(options: CompactOptions): Promise<CompactReport> {
      if (!('keep' in options)) return send({ op: 'compact', keepLast: options.keepLast });
      if (closed) return Promise.reject(new SnapshotError('SNAPSHOT_CLOSED', `the snapshot store at ${dir} is closed`));
      // The predicate cannot cross threads: list (in order), decide here, then compact what was listed.
      const run = (gate ?? Promise.resolve()).then(async () => {
        const ticks = await post<readonly number[]>({ op: 'list' });
        const drop = ticks.filter((t) => !options.keep(t));
        return { compacting: post<CompactReport>({ op: 'compact', drop }) };
      });
      gate = run.then(
        () => undefined,
        () => undefined,
      );
      return run.then((r) => r.compacting);
    },
    async close() {
      if (closed) return;
      if (gate) await gate;
      const done = dead ? Promise.resolve() : post<void>({ op: 'close' });
      closed = true;
      try {
        await done;
      } finally {
        await worker.terminate();
      }
    },
  };
}
