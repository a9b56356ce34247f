import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import { createJobBatch, createPoolScheduler, type Scheduler } from '../src/index.js';
import { TRIPLE } from './fixtures/extraJobs.js';
import { ADD, BARRIER, COUNT, MIX, SPIN, STEAL_GATE, THROW } from './fixtures/testJobs.js';
import { fcSeed, testData, testInline, testPool } from './helpers.js';

const open: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close().catch(() => undefined)));
});
const track = (s: Scheduler): Scheduler => (open.push(s), s);

/** Every job ran exactly once (per-job counters) and the batch says so. */
function expectExactlyOnce(counts: Int32Array, n: number, runs: number): void {
  for (let i = 0; i < n; i++) {
    if (counts[i] !== runs) expect.fail(`job ${i} ran ${counts[i]} times after ${runs} batches`);
  }
}

describe('work-stealing pool on real worker threads', () => {
  it('runs every job exactly once across thousands of batches with deques of 4 and 8', async () => {
    for (const [capacity, threads] of [[4, 3], [8, 2], [4, 4]] as const) {
      const data = testData(64);
      const s = track(testPool(data, { threads, capacity, spinMicros: 200 }));
      const batch = createJobBatch(64);
      for (let i = 0; i < 61; i++) batch.add(COUNT, i, 0, 0, 0, i % 5 === 0 ? 0 : -1);
      const batches = 700;
      for (let k = 0; k < batches; k++) {
        const r = await s.run(batch);
        if (r.failures.length + r.notRun.length > 0) expect.fail(`batch ${k}: ${r.failures.length} failures, ${r.notRun.length} not run`);
      }
      expectExactlyOnce(data.countsView, 61, batches);
      const st = s.stats();
      expect(st.batches).toBe(batches);
      expect(st.workers.reduce((a, w) => a + w.jobsRun, 0)).toBe(61 * batches);
      expect(st.workers.reduce((a, w) => a + w.localPops + w.steals, 0)).toBe(61 * batches);
      await s.close();
    }
  });

  it('exactly once for any job count, skew and capacity (fast-check)', async () => {
    const data = testData(3000);
    const pools = new Map<string, Scheduler>();
    const poolFor = (threads: number, capacity: number): Scheduler => {
      const key = `${threads}/${capacity}`;
      let s = pools.get(key);
      if (!s) pools.set(key, (s = track(testPool(data, { threads, capacity }))));
      return s;
    };
    let rounds = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.constantFrom(4, 8, 64),
        fc.integer({ min: 0, max: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        async (threads, capacity, n, skew, target) => {
          const s = poolFor(threads, capacity);
          const batch = createJobBatch(16);
          // A share `skew` of the jobs is hinted to one worker; the rest carries no hint.
          for (let i = 0; i < n; i++) batch.add(COUNT, i, 0, 0, 0, i < n * skew ? target : -1);
          data.countsView.fill(0);
          for (let r = 0; r < 3; r++) {
            const result = await s.run(batch);
            expect(result.failures).toEqual([]);
            expect(result.notRun).toEqual([]);
          }
          expectExactlyOnce(data.countsView, n, 3);
          rounds++;
        },
      ),
      { seed: fcSeed('pool exactly once'), numRuns: 60 },
    );
    // All 60 on an idle machine; fewer when the shared time budget (vitest.fastCheckBudget.ts) ran out.
    expect(rounds).toBeGreaterThan(0);
  });

  it('runs an empty batch without waking anyone, then the next batch normally (found by fast-check)', async () => {
    const data = testData(10);
    const s = track(testPool(data, { threads: 2 }));
    const batch = createJobBatch();
    expect(await s.run(batch)).toMatchObject({ jobs: 0, failures: [], notRun: [] });
    for (let i = 0; i < 10; i++) batch.add(COUNT, i);
    await s.run(batch);
    batch.clear();
    await s.run(batch);
    for (let i = 0; i < 10; i++) batch.add(COUNT, i);
    await s.run(batch);
    expectExactlyOnce(data.countsView, 10, 2);
  });

  it('runs jobs on different workers at the same time (Atomics barrier)', async () => {
    const data = testData(4);
    const s = track(testPool(data, { threads: 3 }));
    const batch = createJobBatch();
    for (let w = 0; w < 3; w++) batch.add(BARRIER, 3, 0, 0, 0, w);
    const r = await s.run(batch);
    expect(r.failures).toEqual([]);
    expect(new Set([0, 1, 2].map((i) => batch.ranBy(i))).size).toBe(3);
  });

  it('balances a skewed batch (all jobs hinted to worker 0) by stealing', async () => {
    const data = testData(1);
    const s = track(testPool(data, { threads: 2, capacity: 16 }));
    const batch = createJobBatch();
    // Worker 0 holds its jobs until worker 1 has run 80 of them: only stealing gets it there, on
    // a loaded machine as on an idle one (a plain spin let worker 0 finish alone under load).
    for (let i = 0; i < 400; i++) batch.add(STEAL_GATE, 80, 20_000, 0, 0, 0);
    await s.run(batch);
    const ranByOne = Array.from({ length: 400 }, (_, i) => batch.ranBy(i)).filter((w) => w === 1).length;
    expect(ranByOne).toBeGreaterThanOrEqual(400 * 0.2);
    const [w0, w1] = s.stats().workers;
    expect(w1!.steals).toBeGreaterThan(0);
    expect(w0!.jobsRun + w1!.jobsRun).toBe(400);
  });

  it('gives the same results as the inline scheduler for the same batch', async () => {
    const dataPool = testData(2000);
    const dataInline = testData(2000);
    const pool = track(testPool(dataPool, { threads: 3, capacity: 8 }));
    const inline = track(testInline(dataInline));
    const batch = createJobBatch();
    for (let i = 0; i < 2000; i++) {
      const pick = i % 4;
      if (pick === 0) batch.add(ADD, i, 7 * i);
      else if (pick === 1) batch.add(MIX, i, 50);
      else if (pick === 2) batch.add(SPIN, 100, i, 0, 0, i % 3);
      else if (i % 40 === 3) batch.add(THROW, i);
      else batch.add(COUNT, i);
    }
    const a = await pool.run(batch);
    const resultsPool = Array.from({ length: 2000 }, (_, i) => [batch.status(i), batch.result(i)]);
    const b = await inline.run(batch);
    const resultsInline = Array.from({ length: 2000 }, (_, i) => [batch.status(i), batch.result(i)]);
    expect(resultsPool).toEqual(resultsInline);
    expect(a.failures.map((f) => [f.jobId, f.kind])).toEqual(b.failures.map((f) => [f.jobId, f.kind]));
    expect(a.failures.map((f) => (f.error.cause as Error).message)).toEqual(b.failures.map((f) => (f.error.cause as Error).message));
    expect(Array.from(dataPool.countsView)).toEqual(Array.from(dataInline.countsView));
  });

  it('reports a throwing job with id, kind and worker, and completes the batch', async () => {
    const s = track(testPool(testData(1), { threads: 2 }));
    const batch = createJobBatch();
    for (let i = 0; i < 100; i++) batch.add(i === 37 ? THROW : ADD, i, 1);
    const r = await s.run(batch);
    expect(r.failures).toHaveLength(1);
    const f = r.failures[0]!;
    expect([f.jobId, f.kind, f.worker]).toEqual([37, THROW, batch.ranBy(37)]);
    expect(f.error).toMatchObject({ code: 'SCHEDULER_JOB_FAILED' });
    expect((f.error.cause as Error).message).toBe('boom 37');
    expect(batch.result(99)).toBe(100);
    expect(s.stats().workers.reduce((a, w) => a + w.jobsFailed, 0)).toBe(1);
  });

  it('resizes between batches and keeps running every job once', async () => {
    const data = testData(500);
    const s = track(testPool(data, { threads: 2, maxThreads: 4, capacity: 8 }));
    const batch = createJobBatch();
    for (let i = 0; i < 500; i++) batch.add(COUNT, i);
    const sizes = [2, 4, 1, 3, 2];
    for (const n of sizes) {
      await s.resize(n);
      await s.run(batch);
      expect(s.stats().threads).toBe(n);
      expect(new Set(Array.from({ length: 500 }, (_, i) => batch.ranBy(i))).size).toBeLessThanOrEqual(n);
    }
    expectExactlyOnce(data.countsView, 500, sizes.length);
    await expect(s.resize(5)).rejects.toMatchObject({ code: 'SCHEDULER_INVALID_ARGUMENT' });
  });

  it('reads stats from shared memory while a batch runs', async () => {
    const s = track(testPool(testData(1), { threads: 2 }));
    const batch = createJobBatch();
    // Long enough (~0.5 s of spinning) that a poll lands mid-batch even on a loaded machine:
    // polling until the batch settles, not for a fixed time, keeps the test free of timing luck.
    for (let i = 0; i < 20_000; i++) batch.add(SPIN, 25_000, i);
    let done = false;
    const running = s.run(batch).finally(() => (done = true));
    let seenBusy = false;
    while (!done && !seenBusy) {
      await new Promise((r) => setTimeout(r, 1));
      const runSoFar = s.stats().workers.reduce((a, w) => a + w.jobsRun, 0);
      seenBusy = runSoFar > 0 && runSoFar < 20_000;
    }
    await running;
    expect(seenBusy).toBe(true);
    const st = s.stats();
    expect(st.workers.reduce((a, w) => a + w.jobsRun, 0)).toBe(20_000);
    expect(st.fastPathRatio).toBeGreaterThan(0.9);
    expect(st.workers.every((w) => w.busyMs > 0)).toBe(true);
  });

  it('rejects the first call when a worker cannot load its job modules', async () => {
    const s = createPoolScheduler({ threads: 2, jobModules: [{ url: new URL('./fixtures/badJobs.ts', import.meta.url) }] });
    await expect(s.run(createJobBatch())).rejects.toMatchObject({ code: 'SCHEDULER_WORKER_START' });
    await s.close();
  });

  it('ready() resolves once every worker loaded its job modules, and rejects like run() when one cannot', async () => {
    const data = testData(1);
    const s = testPool(data, { threads: 2 });
    await s.ready!();
    // Every worker is up: the first batch's time is the batch's own.
    const result = await s.run(createJobBatch());
    expect(result.jobs).toBe(0);
    await s.close();
    const bad = createPoolScheduler({ threads: 2, jobModules: [{ url: new URL('./fixtures/badJobs.ts', import.meta.url) }] });
    await expect(bad.ready!()).rejects.toMatchObject({ code: 'SCHEDULER_WORKER_START' });
    await bad.close();
  });

  it('rejects every call after close, and loads job modules at runtime', async () => {
    const data = testData(1);
    const s = testPool(data, { threads: 2 });
    await s.resize(3);
    const batch = createJobBatch();
    batch.add(ADD, 2, 3);
    expect((await s.run(batch)).failures).toEqual([]);
    await s.loadJobModule({ url: new URL('./fixtures/extraJobs.ts', import.meta.url), data: { offset: 1 } });
    await expect(s.loadJobModule({ url: new URL('./fixtures/badJobs.ts', import.meta.url) })).rejects.toMatchObject({ code: 'SCHEDULER_JOB_MODULE' });
    await s.resize(4); // a worker started now loads the runtime module too
    batch.clear();
    for (let i = 0; i < 64; i++) batch.add(TRIPLE, i, 0, 0, 0, i % 4);
    expect((await s.run(batch)).failures).toEqual([]);
    expect(batch.result(10)).toBe(31);
    await s.close();
    await expect(s.run(batch)).rejects.toMatchObject({ code: 'SCHEDULER_CLOSED' });
    await expect(s.resize(2)).rejects.toMatchObject({ code: 'SCHEDULER_CLOSED' });
    await expect(s.loadJobModule({ url: 'file:///x.js' })).rejects.toMatchObject({ code: 'SCHEDULER_CLOSED' });
    await expect(s.close()).rejects.toMatchObject({ code: 'SCHEDULER_CLOSED' });
  });
});
