/**
 * Restart of one actor among 1M: `recordFailure` → decision, then applying it to an engine-side
 * run-at column. Latency (median and p99 of individually timed restarts) and throughput, against
 * the same policy with one object per child. Failing slots and ticks come from a seeded PRNG.
 */
import { createBenchSuite, createPrng, percentile, sink } from '@concurrengine/bench-harness';
import { ActorSupervisionGroup } from '@concurrengine/supervisor';

import { N, POLICY, SEED } from './common.js';
import { ObjectPerActorGroup } from './objectPerActor.js';

const OPS = 2 ** 16;
const prng = createPrng(SEED);
const slots = Uint32Array.from({ length: OPS }, () => prng.int(N));

const group = new ActorSupervisionGroup({ capacity: N, policy: POLICY, seed: SEED });
const peer = new ObjectPerActorGroup(N, POLICY, SEED);
// What the engine keeps: the tick each actor runs again at, and whether it is alive.
const runAtOurs = new Uint32Array(N);
const runAtPeer = new Uint32Array(N);
const alive = new Uint8Array(N).fill(1);
let tickOurs = 0;
let tickPeer = 0;
let next = 0;

/** One restart through ActorSupervisionGroup, applied. */
function restartOurs(): number {
  const slot = slots[next++ & (OPS - 1)]!;
  const d = group.recordFailure(slot, ++tickOurs);
  if (d.action === 'restart') runAtOurs[slot] = d.at;
  else if (d.action === 'remove') alive[slot] = 0;
  else group.reset(slot); // escalated: the parent replaces the actor
  return slot;
}

function restartPeer(): number {
  const slot = slots[next++ & (OPS - 1)]!;
  const d = peer.recordFailure(slot, ++tickPeer);
  if (d.action === 'restart') runAtPeer[slot] = d.at;
  else if (d.action === 'remove') alive[slot] = 0;
  else peer.children[slot]!.count = 0;
  return slot;
}

/** Median or p99 in µs of `count` individually timed restarts. */
function latency(restart: () => number, count: number, p: number): number {
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    sink(restart());
    samples[i] = Number(process.hrtime.bigint() - t) / 1e3;
  }
  return percentile(Array.from(samples), p);
}

// Each latency sample is a block of 20k consecutive restarts (not interleaved op by op with the peer).
await createBenchSuite({ package: 'supervisor', seed: SEED })
  .measure({
    case: 'restart-latency-median',
    unit: 'µs',
    better: 'lower',
    ours: { name: 'ActorSupervisionGroup', sample: () => latency(restartOurs, 20_000, 50) },
    peer: { name: 'one object per child', sample: () => latency(restartPeer, 20_000, 50) },
  })
  .measure({
    case: 'restart-latency-p99',
    unit: 'µs',
    better: 'lower',
    ours: { name: 'ActorSupervisionGroup', sample: () => latency(restartOurs, 20_000, 99) },
    peer: { name: 'one object per child', sample: () => latency(restartPeer, 20_000, 99) },
  })
  .compare({
    case: 'restarts-per-second',
    unit: 'ops/s',
    ours: {
      name: 'ActorSupervisionGroup',
      run: (ops) => {
        let s = 0;
        for (let i = 0; i < ops; i++) s += restartOurs();
        return s;
      },
    },
    peer: {
      name: 'one object per child',
      run: (ops) => {
        let s = 0;
        for (let i = 0; i < ops; i++) s += restartPeer();
        return s;
      },
    },
  })
  .run();
console.log(`restarts ${group.restarts}, escalations ${group.escalations}; peer restarts ${peer.restarts}`);
