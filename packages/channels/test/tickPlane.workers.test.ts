/**
 * The tick plane across real worker threads: in each tick, every worker reads the partitions it
 * consumes from the previous tick's parity while all workers write this tick's — so producers and
 * consumers overlap in shared memory. Every record arrives once, at the partition its recipient is
 * in, tier by tier and in (segment, write) order, whichever thread wrote it.
 */
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { createTickPlane, TickPlane } from '../src/index.js';

const BOOTSTRAP = new URL('./fixtures/bootstrap.mjs', import.meta.url);
const FIXTURE = new URL('./fixtures/planeWorker.ts', import.meta.url).href;

describe('tick plane on worker threads', () => {
  it('delivers every record once, in merge order, while the next tick is being written', async () => {
    const workers = 2;
    const ticks = 6;
    const perSegment = 5_000;
    const recipients = 10_007;
    const partitions = 13;
    const buffers = createTickPlane({ lanes: workers + 1, lengthLane: 0, tierLane: 1 });
    const owner = new TickPlane(buffers, workers);
    const control = new SharedArrayBuffer(8);
    const words = new Int32Array(control);
    const resultBuffers = Array.from({ length: workers }, () => new SharedArrayBuffer(8 * (ticks * 2 * workers * perSegment + ticks * partitions + 16)));
    owner.open(0);
    const threads = resultBuffers.map(
      (results, lane) =>
        new Worker(BOOTSTRAP, { workerData: { fixture: FIXTURE, buffers, control, results, lane, workers, ticks, recipients, partitions, perSegment } }),
    );
    const exited = threads.map((w) => new Promise<number>((resolve, reject) => (w.once('error', reject), w.once('exit', resolve))));
    try {
      for (let tick = 0; tick < ticks; tick++) {
        // The main thread owns the parities: this tick's is opened before the workers start it.
        if (tick > 0) owner.open(tick & 1);
        Atomics.store(words, 1, 0);
        Atomics.store(words, 0, tick);
        Atomics.notify(words, 0);
        while (Atomics.load(words, 1) < workers) await Atomics.waitAsync(words, 1, Atomics.load(words, 1), 5_000).value;
        owner.close(tick & 1, 2 * workers);
      }
      expect(await Promise.all(exited)).toEqual([0, 0]);
    } finally {
      await Promise.all(threads.map((w) => w.terminate()));
    }
    // The model: tick t's records in segment order (s·workers + lane), filtered by partition, by tier.
    const seqOf = (tick: number, segment: number, i: number) => {
      const s = Math.floor(segment / workers);
      const lane = segment % workers;
      return ((tick * 2 + s) * workers + lane) * perSegment + i;
    };
    resultBuffers.forEach((buffer, lane) => {
      const results = new Float64Array(buffer);
      let at = 0;
      for (let tick = 1; tick < ticks; tick++) {
        for (let p = lane; p < partitions; p += workers) {
          const expected: number[][] = [[], [], [], []];
          for (let segment = 0; segment < 2 * workers; segment++) {
            for (let i = 0; i < perSegment; i++) {
              const seq = seqOf(tick - 1, segment, i);
              if (((seq * 31) % recipients) % partitions === p) expected[(seq * 7) % 4]!.push(seq);
            }
          }
          const seen: number[] = [];
          while (results[at] !== -1) seen.push(results[at++]!);
          at++;
          expect(seen).toEqual(expected.flat());
        }
      }
    });
  }, 60_000);
});
