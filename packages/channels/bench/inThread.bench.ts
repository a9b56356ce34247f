/**
 * In-thread channel vs the queues people use instead: `array.push/shift` and a bare `Int32Array`
 * ring (the limit), same seeded numbers, bursts of 1000 (send 1000, then receive 1000).
 *
 * Every contender does the same work per message: `sum = (sum + m) | 0`. (An earlier version
 * summed into a float with `acc += m` in ours only: once `acc` left the small-integer range each
 * message allocated a heap number in our callback, which cost ours ~25 % and the peers nothing.)
 */
import { createBenchSuite, createPrng, sink } from '@concurrengine/bench-harness';

import { createLocalChannel } from '../src/index.js';

const SEED = 0x5eed;
const BURST = 1000;
const prng = createPrng(SEED);
const data = Int32Array.from({ length: BURST }, () => Math.floor(prng.next() * 1e6));

const channel = createLocalChannel<number>({ capacity: BURST });
let acc = 0;
const add = (m: number): void => {
  acc = (acc + m) | 0;
};
function ours(ops: number): number {
  const { sender, receiver } = channel;
  for (let done = 0; done < ops; done += BURST) {
    for (let i = 0; i < BURST; i++) sender.trySend(data[i]!);
    receiver.drain(BURST, add);
  }
  return acc;
}

const queue: number[] = [];
function arrayQueue(ops: number): number {
  let sum = 0;
  for (let done = 0; done < ops; done += BURST) {
    for (let i = 0; i < BURST; i++) queue.push(data[i]!);
    while (queue.length > 0) sum = (sum + queue.shift()!) | 0;
  }
  return sum;
}

const ring = new Int32Array(1024);
let head = 0;
let tail = 0;
function int32Ring(ops: number): number {
  let sum = 0;
  for (let done = 0; done < ops; done += BURST) {
    for (let i = 0; i < BURST; i++) {
      if (tail - head < 1024) ring[tail++ & 1023] = data[i]!;
    }
    while (head !== tail) sum = (sum + ring[head++ & 1023]!) | 0;
  }
  return sum;
}

await createBenchSuite({ package: 'channels', seed: SEED })
  .compare({ case: 'in-thread burst 1000 vs array push/shift', unit: 'ops/s', ours: { name: 'localChannel', run: ours }, peer: { name: 'array push/shift', run: arrayQueue } })
  .compare({ case: 'in-thread burst 1000 vs Int32Array ring (limit)', unit: 'ops/s', ours: { name: 'localChannel', run: ours }, peer: { name: 'Int32Array ring', run: int32Ring } })
  .run();
sink(acc);
