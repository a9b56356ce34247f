import { describe, expect, it } from 'vitest';

import { createInlineScheduler, createJobBatch, createScheduler, isSchedulerError } from '../src/index.js';
import { ADD, COUNT, THROW } from './fixtures/testJobs.js';
import { testData, testInline, testJobsUrl } from './helpers.js';

describe('inline scheduler', () => {
  it('runs every job once, in id order, with results on the batch', async () => {
    const data = testData(100);
    const s = testInline(data);
    const batch = createJobBatch(4);
    for (let i = 0; i < 100; i++) batch.add(i % 2 ? ADD : COUNT, i, 2 * i);
    const result = await s.run(batch);
    expect(result).toMatchObject({ batch: 1, jobs: 100, failures: [], notRun: [] });
    for (let i = 0; i < 100; i++) {
      expect(batch.status(i)).toBe('done');
      expect(batch.ranBy(i)).toBe(0);
      expect(batch.result(i)).toBe(i % 2 ? 3 * i : 1);
    }
    expect(s.stats()).toMatchObject({ threads: 1, batches: 1, fastPathRatio: 1 });
    await s.close();
  });

  it('reports a throwing job and an unknown kind, and still completes the batch', async () => {
    const s = testInline(testData(4));
    const batch = createJobBatch();
    batch.add(ADD, 1, 1);
    batch.add(THROW, 42);
    batch.add(999);
    batch.add(ADD, 2, 2);
    const { failures } = await s.run(batch);
    expect(failures.map((f) => [f.jobId, f.kind, f.worker])).toEqual([[1, THROW, 0], [2, 999, 0]]);
    expect(isSchedulerError(failures[0]!.error, 'SCHEDULER_JOB_FAILED')).toBe(true);
    expect((failures[0]!.error.cause as Error).message).toBe('boom 42');
    expect(((failures[1]!.error.cause as { code?: string }).code)).toBe('SCHEDULER_UNKNOWN_KIND');
    expect([batch.status(0), batch.status(1), batch.status(2), batch.status(3)]).toEqual(['done', 'failed', 'failed', 'done']);
    await s.close();
  });

  it('rejects resize to more than one thread, and everything after close', async () => {
    const s = createScheduler({ threads: 1 });
    await expect(s.resize(2)).rejects.toMatchObject({ code: 'SCHEDULER_INVALID_ARGUMENT' });
    await s.resize(1);
    await s.close();
    await expect(s.run(createJobBatch())).rejects.toMatchObject({ code: 'SCHEDULER_CLOSED' });
    await expect(s.close()).rejects.toMatchObject({ code: 'SCHEDULER_CLOSED' });
  });

  it('types bad job modules', async () => {
    const s = createInlineScheduler({ importer: async (url) => (url.includes('bad') ? { default: 3 } : import(url)) });
    await expect(s.loadJobModule({ url: 'not a url' })).rejects.toMatchObject({ code: 'SCHEDULER_JOB_MODULE' });
    await expect(s.loadJobModule({ url: 'file:///bad.js' })).rejects.toMatchObject({ code: 'SCHEDULER_JOB_MODULE' });
    await expect(s.loadJobModule({ url: 'file:///missing/nowhere.js' })).rejects.toMatchObject({ code: 'SCHEDULER_JOB_MODULE' });
    const data = testData(1);
    await s.loadJobModule({ url: testJobsUrl, data });
    const dup = createInlineScheduler({ importer: async () => ({ default: { jobs: { [ADD]: () => 0 } } }) });
    await dup.loadJobModule({ url: 'file:///one.js' });
    await expect(dup.loadJobModule({ url: 'file:///two.js' })).rejects.toMatchObject({ code: 'SCHEDULER_DUPLICATE_KIND' });
    await s.close();
    await dup.close();
  });

  it('ready() waits for the job modules it was created with, and rejects with their error', async () => {
    let loaded = false;
    const s = createInlineScheduler({
      jobModules: [{ url: 'file:///slow.js' }],
      importer: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        loaded = true;
        return { default: { jobs: {} } };
      },
    });
    await s.ready!();
    expect(loaded).toBe(true);
    await s.close();
    const bad = createInlineScheduler({ jobModules: [{ url: 'file:///bad.js' }], importer: async () => ({ default: 3 }) });
    await expect(bad.ready!()).rejects.toMatchObject({ code: 'SCHEDULER_JOB_MODULE' });
    await bad.close();
  });
});
