/**
 * The cross-thread channel on real worker threads: 2–4 producers and this thread as the one
 * consumer, tiny capacities so the rings wrap around many times. An Atomics barrier proves the
 * producers overlap. Asserts exactly-once delivery and FIFO per (producer, tier).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

import { createSharedChannel, type Tier } from '../src/index.js';
import { codec, type Msg } from './helpers.js';

const bootstrap = new URL('./fixtures/bootstrap.mjs', import.meta.url);
const fixture = new URL('./fixtures/producer.worker.ts', import.meta.url).href;

interface Run {
  readonly producers: number;
  readonly count: number;
  readonly capacity: number;
  readonly mode: 'send' | 'trySend' | 'mixed' | 'many';
  readonly tiers: readonly Tier[];
}

function startProducer(buffer: SharedArrayBuffer, barrier: SharedArrayBuffer, job: Record<string, unknown>): Worker {
  return new Worker(bootstrap, { workerData: { fixture, buffer, barrier, producers: 1, producer: 0, mode: 'send', ...job } });
}

async function runProducers(run: Run): Promise<{ got: Msg[]; maxBlocked: number; fullSeen: number }> {
  const channel = createSharedChannel({ capacity: run.capacity, criticalCapacity: 2, codec });
  const barrier = new SharedArrayBuffer(4);
  const workers = Array.from({ length: run.producers }, (_, producer) => {
    const worker = new Worker(bootstrap, {
      workerData: { fixture, buffer: channel.buffer, barrier, producer, producers: run.producers, count: run.count, mode: run.mode, tiers: run.tiers },
    });
    return { worker, done: once(worker, 'message') as Promise<[{ fullSeen: number }]> };
  });
  const b = new Int32Array(barrier);
  Atomics.add(b, 0, 1);
  Atomics.notify(b, 0);
  const got: Msg[] = [];
  const total = run.producers * run.count;
  let maxBlocked = 0;
  while (got.length < total) {
    // Alternate the hot path and the parking path.
    const n = channel.receiver.drain(run.capacity * 4, (m) => got.push({ ...m }));
    maxBlocked = Math.max(maxBlocked, channel.stats().blockedSenders);
    if (n === 0) {
      const r = await channel.receiver.recv();
      if (r.status === 'ok') got.push({ ...r.value });
    }
  }
  let fullSeen = 0;
  for (const { worker, done } of workers) {
    fullSeen += (await done)[0].fullSeen;
    await worker.terminate();
  }
  expect(channel.receiver.tryRecv()).toEqual({ status: 'empty' });
  return { got, maxBlocked, fullSeen };
}

function checkExactlyOnceFifo(got: readonly Msg[], run: Run): void {
  const next = new Map<string, number>();
  const seen = new Set<string>();
  for (const m of got) {
    if (m.type !== 'msg') throw new Error('unexpected record type');
    const id = `${m.producer}:${m.seq}`;
    expect(seen.has(id), `duplicate ${id}`).toBe(false);
    seen.add(id);
    const lane = `${m.producer}/${m.tier}`;
    expect(m.seq, `FIFO of ${lane}`).toBeGreaterThanOrEqual(next.get(lane) ?? 0);
    next.set(lane, m.seq + 1);
  }
  expect(seen.size).toBe(run.producers * run.count);
}

describe('cross-thread channel on worker threads', () => {
  it.each([
    { producers: 2, count: 20_000, capacity: 2, mode: 'send', tiers: ['normal'] },
    { producers: 3, count: 10_000, capacity: 4, mode: 'send', tiers: ['high', 'normal', 'low'] },
    { producers: 4, count: 5_000, capacity: 2, mode: 'trySend', tiers: ['critical', 'high', 'normal', 'low'] },
    { producers: 1, count: 200_000, capacity: 64, mode: 'mixed', tiers: ['normal'] },
    { producers: 3, count: 20_000, capacity: 8, mode: 'many', tiers: ['high', 'normal', 'low'] },
    { producers: 2, count: 100_000, capacity: 256, mode: 'many', tiers: ['normal'] },
  ] satisfies Run[])('$producers producers, capacity $capacity, $mode over $tiers: exactly once, FIFO per producer and tier', async (run) => {
    const { got, maxBlocked, fullSeen } = await runProducers(run);
    checkExactlyOnceFifo(got, run);
    // Back-pressure really happened: producers stopped at capacity.
    if (run.mode !== 'mixed') expect(run.mode === 'send' ? maxBlocked : fullSeen).toBeGreaterThan(0);
  });

  it('close from a producer thread: the consumer receives everything sent, then closed', async () => {
    const channel = createSharedChannel({ capacity: 4, codec });
    const barrier = new SharedArrayBuffer(4);
    const worker = startProducer(channel.buffer, barrier, { count: 1000, tiers: ['normal', 'low'], closeAtEnd: true });
    const done = once(worker, 'message');
    Atomics.add(new Int32Array(barrier), 0, 1);
    Atomics.notify(new Int32Array(barrier), 0);
    let received = 0;
    for (let r = await channel.receiver.recv(); r.status === 'ok'; r = await channel.receiver.recv()) received++;
    expect(received).toBe(1000);
    expect(channel.stats().closed).toBe(true);
    await done;
    await worker.terminate();
  });

  it('critical lane across threads: an idle receiver\'s handler gets every critical record', async () => {
    const channel = createSharedChannel({ capacity: 4, criticalCapacity: 2, codec });
    const seen: number[] = [];
    let resolveAll!: () => void;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    channel.receiver.onCritical((m) => {
      if (m.type === 'msg') seen.push(m.seq);
      if (seen.length === 200) resolveAll();
    });
    const barrier = new SharedArrayBuffer(4);
    const worker = startProducer(channel.buffer, barrier, { count: 200, tiers: ['critical'] });
    Atomics.add(new Int32Array(barrier), 0, 1);
    Atomics.notify(new Int32Array(barrier), 0);
    await all;
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(channel.stats().criticalDirect).toBe(200);
    await worker.terminate();
  });
});
