/**
 * Entry point of a pool worker thread (started by `pool/workerHandle.ts`). Loads the job modules,
 * says ready, then runs the batch loop until a `stop` control message. Only this thread runs here.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';

import { toThrownRecord } from '../execute.js';
import { createJobRegistry } from '../jobRegistry.js';
import { importJobModule } from './importJobModule.js';
import type { PoolWorkerData, WorkerReply } from './workerData.js';
import { WorkerLoop, type ControlMessage, type FailureMessage } from './workerLoop.js';

const data = workerData as PoolWorkerData;
const port = data.port;
const reply = (message: WorkerReply): void => parentPort!.postMessage(message);
const registry = createJobRegistry(importJobModule);
const setupCtx = { worker: data.slot };

async function handleControl(loop: WorkerLoop): Promise<boolean> {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    const message = m.message as ControlMessage;
    switch (message.type) {
      case 'batch-buffer':
        loop.setBatchBuffer(message.buffer, message.capacity);
        break;
      case 'load':
        try {
          await registry.load({ url: message.url, data: message.data }, setupCtx);
          reply({ type: 'loaded', id: message.id });
        } catch (error) {
          reply({ type: 'loaded', id: message.id, error: toThrownRecord(error) });
        }
        break;
      case 'stop':
        return true;
    }
  }
  return false;
}

async function main(): Promise<void> {
  try {
    for (const spec of data.modules) await registry.load(spec, setupCtx);
  } catch (error) {
    reply({ type: 'ready', error: toThrownRecord(error) });
    port.close();
    return;
  }
  const loop: WorkerLoop = new WorkerLoop({
    mem: { ctl: new Int32Array(data.ctl), stats: new Float64Array(data.stats), maxThreads: data.maxThreads, capacity: data.capacity },
    slot: data.slot,
    registry,
    joinGen: data.joinGen,
    spinMicros: data.spinMicros,
    report: (message: FailureMessage) => port.postMessage(message),
    control: () => handleControl(loop),
  });
  reply({ type: 'ready' });
  await loop.run();
  port.close();
}

await main();
