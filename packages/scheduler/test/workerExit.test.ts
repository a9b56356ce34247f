import { afterEach, describe, expect, it } from 'vitest';

import { createJobBatch, type Scheduler, type WorkerExitInfo } from '../src/index.js';
import { ASYNC_THROW, BARRIER, COUNT, EXIT, MIX } from './fixtures/testJobs.js';
import { testData, testPool } from './helpers.js';

const open: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close().catch(() => undefined)));
});

describe('a worker that dies', () => {
  it('mid-batch (process.exit): reported, replaced, its unfinished jobs not run, nothing run twice', async () => {
    const n = 3000;
    const data = testData(n);
    const exits: WorkerExitInfo[] = [];
    const s = testPool(data, { threads: 3, capacity: 8, onWorkerExit: (info) => exits.push(info) });
    open.push(s);
    const batch = createJobBatch();
    const exitJob = 1000;
    for (let i = 0; i < n; i++) {
      if (i === exitJob) batch.add(EXIT, 9, 0, 0, 0, 1);
      else batch.add(MIX, i, 3000, 0, 0, i % 3);
    }
    const r = await s.run(batch);
    expect(r.failures).toEqual([]);
    expect(exits).toHaveLength(1);
    const info = exits[0]!;
    expect(info).toMatchObject({ exitCode: 9, batch: r.batch });
    expect(r.notRun.map((j) => j.jobId)).toContain(exitJob);
    expect(r.notRun.every((j) => j.worker === info.worker)).toBe(true);
    expect(info.notRun).toEqual(r.notRun);
    const notRun = new Set(r.notRun.map((j) => j.jobId));
    for (let i = 0; i < n; i++) {
      if (i === exitJob) continue;
      const ran = data.countsView[i]!;
      if (notRun.has(i)) {
        if (ran !== 0 || batch.status(i) !== 'not-run') expect.fail(`job ${i} reported not run but ran ${ran} times`);
      } else if (ran !== 1 || batch.status(i) !== 'done') {
        expect.fail(`job ${i} ran ${ran} times, status ${batch.status(i)}`);
      }
    }
    expect(batch.status(exitJob)).toBe('not-run');
    expect(s.stats().workerExits).toBe(1);

    // The replacement takes part in the next batch: three jobs that only return once all three
    // workers are inside one at the same time.
    batch.clear();
    for (let w = 0; w < 3; w++) batch.add(BARRIER, 3, 0, 0, 0, w);
    const again = await s.run(batch);
    expect(again.notRun).toEqual([]);
    expect(again.failures).toEqual([]);
    expect(new Set([0, 1, 2].map((i) => batch.ranBy(i)))).toEqual(new Set([0, 1, 2]));
  });

  it('between batches (uncaught error): reported with the error, replaced, next batch whole', async () => {
    const data = testData(100);
    const exits: WorkerExitInfo[] = [];
    const s = testPool(data, { threads: 2, onWorkerExit: (info) => exits.push(info) });
    open.push(s);
    const batch = createJobBatch();
    batch.add(ASYNC_THROW, 0, 0, 0, 0, 0);
    await s.run(batch);
    for (let i = 0; i < 200 && exits.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(exits).toHaveLength(1);
    expect(exits[0]).toMatchObject({ batch: 0, notRun: [] });
    expect(exits[0]!.error?.message).toBe('uncaught in worker');
    batch.clear();
    for (let i = 0; i < 100; i++) batch.add(COUNT, i, 0, 0, 0, i % 2);
    const r = await s.run(batch);
    expect(r.notRun).toEqual([]);
    expect(Array.from(data.countsView).every((c) => c === 1)).toBe(true);
  });

  it('two deaths in one batch on a two-thread pool still settle every job', async () => {
    const n = 500;
    const data = testData(n);
    const exits: WorkerExitInfo[] = [];
    const s = testPool(data, { threads: 2, capacity: 4, onWorkerExit: (info) => exits.push(info) });
    open.push(s);
    const batch = createJobBatch();
    for (let i = 0; i < n; i++) batch.add(i === 100 || i === 400 ? EXIT : MIX, i === 100 || i === 400 ? 3 : i, 2000, 0, 0, i < 250 ? 0 : 1);
    const r = await s.run(batch);
    const notRun = new Set(r.notRun.map((j) => j.jobId));
    for (let i = 0; i < n; i++) {
      const settled = batch.status(i) === 'done' ? data.countsView[i] === 1 : notRun.has(i) && data.countsView[i] === 0;
      if (!settled) expect.fail(`job ${i}: status ${batch.status(i)}, ran ${data.countsView[i]}`);
    }
    expect(notRun.size).toBeGreaterThanOrEqual(1);
    expect(exits.length).toBeGreaterThanOrEqual(1);
    batch.clear();
    for (let i = 0; i < 50; i++) batch.add(COUNT, i);
    expect((await s.run(batch)).notRun).toEqual([]);
  });
});
