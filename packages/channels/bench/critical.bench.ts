/**
 * In-thread critical lane: time from `trySend(m, 'critical')` to the registered handler running,
 * per message (the two `process.hrtime.bigint()` reads are included, so this is an upper bound).
 */
import { createBenchSuite, percentile } from '@concurrengine/bench-harness';

import { createLocalChannel } from '../src/index.js';

const SEED = 0xc1;
const N = 20_000;
const channel = createLocalChannel<{ readonly id: number }>({ capacity: 64 });
const message = { id: SEED };
const latencies = new Float64Array(N);
let start = 0n;
let i = 0;
channel.receiver.onCritical(() => {
  latencies[i] = Number(process.hrtime.bigint() - start) / 1e3;
});

function run(): Float64Array {
  for (i = 0; i < N; i++) {
    start = process.hrtime.bigint();
    channel.sender.trySend(message, 'critical');
  }
  return latencies;
}

await createBenchSuite({ package: 'channels', seed: SEED })
  .measure({ case: 'in-thread critical latency p50 (handler, receiver idle)', unit: 'µs', better: 'lower', limit: 1, ours: { name: 'localChannel critical', sample: () => percentile(Array.from(run()), 50) } })
  .measure({ case: 'in-thread critical latency p99 (handler, receiver idle)', unit: 'µs', better: 'lower', ours: { name: 'localChannel critical', sample: () => percentile(Array.from(run()), 99) } })
  .run();
