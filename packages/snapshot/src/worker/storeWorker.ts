/**
 * The store's worker thread: opens the directory with the node file system and serves requests
 * in arrival order (which is the caller's call order). Hashing and file I/O happen here, off the
 * caller's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { setCourtesy } from '../file/courtesy.js';
import { FileStoreCore } from '../file/fileStoreCore.js';
import { queuedStore } from '../file/queuedStore.js';
import { nodeFileSystem } from '../fileSystem.js';
import type { SnapshotStore, TickSnapshot } from '../snapshotStore.js';
import { serializeError, type Reply, type Request, type WorkerInit } from './protocol.js';

const port = parentPort!;
const init = workerData as WorkerInit;

function transferablesOf(snapshot: TickSnapshot): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const view of [snapshot.meta, ...snapshot.pages]) if (view.buffer instanceof ArrayBuffer) seen.add(view.buffer);
  return [...seen];
}

async function serve(store: Required<SnapshotStore>, request: Request): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> {
  switch (request.op) {
    case 'write':
      return { value: await store.writeTick({ tick: request.tick, meta: request.meta, pages: request.pages }) };
    case 'read': {
      const snapshot = await store.readTick(request.tick);
      return { value: snapshot, transfer: transferablesOf(snapshot) };
    }
    case 'readMeta': {
      const meta = await store.readMeta(request.tick);
      return { value: meta, transfer: meta.buffer instanceof ArrayBuffer ? [meta.buffer] : [] };
    }
    case 'compact': {
      const drop = new Set(request.drop ?? []);
      return { value: await store.compact(request.keepLast !== undefined ? { keepLast: request.keepLast } : { keep: (t) => !drop.has(t) }) };
    }
    case 'list':
      return { value: await store.listTicks() };
    case 'latest':
      return { value: await store.latest() };
    case 'verify':
      return { value: await store.verify() };
    case 'stats':
      return { value: await store.stats() };
    case 'close':
      await store.close();
      return { value: undefined };
  }
}

const reply = (message: Reply, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);

setCourtesy(init.yieldTo);
try {
  const core = await FileStoreCore.open(init.dir, { fs: nodeFileSystem, create: init.create, ...(init.segmentBytes !== undefined ? { segmentBytes: init.segmentBytes } : {}) });
  const store = queuedStore(core);
  port.on('message', (request: Request) => {
    serve(store, request).then(
      ({ value, transfer }) => {
        reply({ id: request.id, ok: true, value }, transfer);
        if (request.op === 'close') port.close();
      },
      (error: unknown) => reply({ id: request.id, ok: false, error: serializeError(error) }),
    );
  });
  reply({ id: 0, ok: true, value: undefined });
} catch (error) {
  reply({ id: 0, ok: false, error: serializeError(error) });
  port.close();
}
