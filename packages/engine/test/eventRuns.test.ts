/**
 * Event batches are built by the jobs (issue 16): each job writes its events of a subscribed type
 * as runs in its own outbox, and a subscriber's batch is a list of views over those runs — no
 * event is copied on the main thread. Its content and order are the same for any thread count:
 * every event of the tick, in (job, actor, emit) order, whatever interleaves with them.
 */
import { describe, expect, it } from 'vitest';

import type { PayloadFields } from '@concurrengine/actors';

import { createEngine, type EventBatch } from '../src/index.js';
import { Emitter, pattern, RunA, RunB } from './fixtures/emitter.js';

const EMITTER = new URL('./fixtures/emitter.ts', import.meta.url).href;
const ACTORS = 400; // 25 pages of 16: several jobs per thread
const TICKS = 4;

/** What each tick's batches must hold: per type, [sender, …payload] of every event in actor order. */
function expected(refs: readonly number[], tick: number): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  refs.forEach((ref, n) => {
    for (const step of pattern(n, tick)) {
      if (step === 'a') a.push(ref, n * 1000 + tick);
      else if (step === 'b') b.push(ref, n, tick);
    }
  });
  return { a, b };
}

async function record(threads: number) {
  const engine = createEngine({ threads, seed: 2, actorModules: [EMITTER] });
  engine.spawn(Emitter, ACTORS, (e, i) => (e.n = i));
  const seen: { tick: number; type: string; lanes: number[]; segments: number; shared: boolean; count: number; consistent: boolean }[] = [];
  const take = <F extends PayloadFields>(batch: EventBatch<F>) => {
    const lanes = batch.segments.flatMap((segment) => [...segment]);
    // from(i) and get(i) read across the segments the same records.
    let consistent = lanes.length === batch.count * batch.stride && [...batch.lanes].every((v, i) => Object.is(v, lanes[i]));
    for (let i = 0; i < batch.count; i += 7) {
      if (batch.from(i) !== lanes[i * batch.stride]) consistent = false;
      const decoded = batch.get(i) as Record<string, number>;
      if (decoded['v'] !== lanes[i * batch.stride + 1]) consistent = false;
    }
    seen.push({
      tick: batch.tick,
      type: batch.type.name,
      lanes,
      segments: batch.segments.length,
      shared: batch.segments.every((s) => s.buffer instanceof SharedArrayBuffer),
      count: batch.count,
      consistent,
    });
  };
  engine.on(RunA, take);
  engine.on(RunB, take);
  try {
    await engine.step(TICKS);
    return { seen, refs: engine.refs(Emitter) as number[], pokes: engine.refs(Emitter).reduce((n, ref) => n + engine.view(Emitter, ref).pokes, 0) };
  } finally {
    await engine.close();
  }
}

describe('event batches built by the jobs', () => {
  it('hold every event of the tick in actor order, as views over the jobs\' runs, alike for 1 and 2 threads', async () => {
    const one = await record(1);
    const two = await record(2);
    for (const run of [one, two]) {
      expect(run.seen).toHaveLength(2 * TICKS);
      for (const batch of run.seen) {
        const want = expected(run.refs, batch.tick);
        expect(batch.lanes).toEqual(batch.type === 'RunA' ? want.a : want.b);
        expect(batch.count).toBe(batch.lanes.length / (batch.type === 'RunA' ? 2 : 3));
        expect(batch.consistent).toBe(true);
        expect(batch.shared).toBe(true); // views into the outboxes, not copies
      }
      expect(run.pokes).toBeGreaterThan(0); // messages interleaved with the runs
    }
    // Several jobs, and runs split by the messages and the other type between them.
    expect(Math.min(...two.seen.map((b) => b.segments))).toBeGreaterThan(1);
    expect(two.seen.map(({ tick, type, lanes }) => ({ tick, type, lanes }))).toEqual(one.seen.map(({ tick, type, lanes }) => ({ tick, type, lanes })));
  }, 60_000);
});
