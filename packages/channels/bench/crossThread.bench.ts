/**
 * Cross-thread: one producer worker → this thread, the same 4-field records through the shared
 * channel (one `trySend` per record, then `trySendMany` batches of 256) and through
 * `MessagePort.postMessage` (one message per record, as people do it).
 * Then the critical lane's latency across threads while the receiver is idle (parked).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

import { createBenchSuite, percentile } from '@concurrengine/bench-harness';

import { createSharedChannel } from '../src/index.js';
import { SEED, codec, type Pos } from './fixtures/records.js';

const bootstrap = new URL('./fixtures/bootstrap.mjs', import.meta.url);
const fixture = new URL('./fixtures/producer.ts', import.meta.url).href;
const OURS_N = 1_000_000;
const PEER_N = 100_000;

const channel = createSharedChannel({ capacity: 4096, codec });
const ringWorker = new Worker(bootstrap, { workerData: { fixture, buffer: channel.buffer } });
const portWorker = new Worker(bootstrap, { workerData: { fixture } });
const critChannel = createSharedChannel({ capacity: 4, criticalCapacity: 16, codec });
const critWorker = new Worker(bootstrap, { workerData: { fixture, buffer: critChannel.buffer } });
await Promise.all([once(ringWorker, 'online'), once(portWorker, 'online'), once(critWorker, 'online')]);

/** A hung sample must not hold the shared bench lock: say where it stuck and exit. */
function watchdog<T>(label: string, work: Promise<T>, state: () => unknown): Promise<T> {
  const timer = setTimeout(() => {
    console.error(`watchdog: ${label} stuck after 30 s: ${JSON.stringify(state())}`);
    process.exit(1);
  }, 30_000);
  return work.finally(() => clearTimeout(timer));
}

let checksum = 0;
const consume = (m: Pos): void => {
  checksum += m.id;
};

async function oursRun(batched: boolean): Promise<number> {
  const receiver = channel.receiver;
  const start = process.hrtime.bigint();
  ringWorker.postMessage({ n: OURS_N, batched });
  let got = 0;
  while (got < OURS_N) {
    const k = receiver.drain(4096, consume);
    got += k;
    oursGot = got;
    if (k === 0) {
      const r = await receiver.recv(); // parks on Atomics.waitAsync
      if (r.status === 'ok') {
        consume(r.value);
        got++;
      }
    }
  }
  return OURS_N / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function peerRun(): Promise<number> {
  const start = process.hrtime.bigint();
  let got = 0;
  const done = new Promise<void>((resolve) => {
    const on = (m: Pos): void => {
      consume(m);
      if (++got === PEER_N) {
        portWorker.off('message', on);
        resolve();
      }
    };
    portWorker.on('message', on);
  });
  portWorker.postMessage({ n: PEER_N });
  await done;
  return PEER_N / (Number(process.hrtime.bigint() - start) / 1e9);
}

let oursGot = 0;
const oursSample = (): Promise<number> => watchdog('sharedChannel sample', oursRun(false), () => ({ got: oursGot, stats: channel.stats() }));
const oursBatchedSample = (): Promise<number> => watchdog('sharedChannel batched sample', oursRun(true), () => ({ got: oursGot, stats: channel.stats() }));
const peerSample = (): Promise<number> => watchdog('postMessage sample', peerRun(), () => ({}));
const criticalRun = (): Promise<number[]> => watchdog('critical sample', criticalWait(), () => ({ got: latencies.length, stats: critChannel.stats() }));

const CRIT_N = 200;
let latencies: number[] = [];
critChannel.receiver.onCritical((m) => {
  if (m.type === 'pos') latencies.push((Number(process.hrtime.bigint()) - m.x) / 1e3);
});
async function criticalWait(): Promise<number[]> {
  latencies = [];
  critWorker.postMessage({ critical: CRIT_N, gapMs: 1 });
  while (latencies.length < CRIT_N) await new Promise((resolve) => setTimeout(resolve, 5));
  return latencies;
}

await createBenchSuite({ package: 'channels', seed: SEED })
  .measure({
    case: 'cross-thread 1 producer → 1 consumer, 4-field records',
    unit: 'msgs/s',
    better: 'higher',
    samples: 7,
    ours: { name: 'sharedChannel', sample: oursSample },
    peer: { name: 'MessagePort.postMessage', sample: peerSample },
  })
  .measure({
    case: 'cross-thread 1 producer → 1 consumer, 4-field records, trySendMany batches of 256',
    unit: 'msgs/s',
    better: 'higher',
    samples: 7,
    ours: { name: 'sharedChannel trySendMany', sample: oursBatchedSample },
    peer: { name: 'MessagePort.postMessage', sample: peerSample },
  })
  .measure({ case: 'cross-thread critical latency p50 (receiver idle, parked)', unit: 'µs', better: 'lower', samples: 5, ours: { name: 'sharedChannel critical', sample: async () => percentile(await criticalRun(), 50) } })
  .measure({ case: 'cross-thread critical latency p99 (receiver idle, parked)', unit: 'µs', better: 'lower', samples: 5, ours: { name: 'sharedChannel critical', sample: async () => percentile(await criticalRun(), 99) } })
  .run();
console.log(`checksum ${checksum}`);
await Promise.all([ringWorker.terminate(), portWorker.terminate(), critWorker.terminate()]);
