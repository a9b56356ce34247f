/**
 * The source shapes are structural: what the scheduler and channels packages return today must be
 * accepted as is. Their interfaces are copied here (as of this commit) rather than imported, since
 * telemetry depends on no other concurrengine package; the type check fails if ours drift.
 */
import { describe, expect, it } from 'vitest';
import { createTelemetry, type TelemetrySource } from '../src/index.js';
import { parseExposition } from '../src/testing.js';

/** `@concurrengine/scheduler` WorkerStats. */
interface WorkerStats {
  readonly worker: number;
  readonly localPops: number;
  readonly steals: number;
  readonly stolenJobs: number;
  readonly failedSteals: number;
  readonly parks: number;
  readonly busyMs: number;
  readonly jobsRun: number;
  readonly jobsFailed: number;
}
interface SchedulerStats {
  readonly threads: number;
  readonly batches: number;
  readonly workers: readonly WorkerStats[];
  readonly fastPathRatio: number;
  readonly workerExits: number;
}
/** `@concurrengine/channels` ChannelStats. */
type Tier = 'critical' | 'high' | 'normal' | 'low';
interface ChannelStats {
  readonly depth: Readonly<Record<Tier, number>>;
  readonly blockedSenders: number;
  readonly dropped: { readonly newest: number; readonly oldest: number };
  readonly rejected: number;
  readonly criticalDirect: number;
  readonly starvationPromotions: number;
  readonly closed: boolean;
}

describe('structural compatibility', () => {
  it('takes SchedulerStats.workers and { channel, ...ChannelStats } unchanged', async () => {
    const scheduler: { stats(): SchedulerStats } = {
      stats: () => ({ threads: 1, batches: 3, fastPathRatio: 1, workerExits: 0, workers: [{ worker: 0, localPops: 9, steals: 0, stolenJobs: 0, failedSteals: 0, parks: 2, busyMs: 5, jobsRun: 9, jobsFailed: 1 }] }),
    };
    const channel: { stats(): ChannelStats } = {
      stats: () => ({ depth: { critical: 0, high: 1, normal: 2, low: 3 }, blockedSenders: 1, dropped: { newest: 4, oldest: 5 }, rejected: 0, criticalDirect: 0, starvationPromotions: 0, closed: false }),
    };
    const source: TelemetrySource = {
      threads: () => scheduler.stats().workers,
      queues: () => [{ channel: 'inbox', ...channel.stats() }],
    };
    const m = parseExposition(await createTelemetry({ source }).metrics());
    expect(m.value('concurrengine_dispatches_total', { worker: '0', path: 'local' })).toBe(9);
    expect(m.value('concurrengine_jobs_failed_total', { worker: '0' })).toBe(1);
    expect(m.value('concurrengine_queue_depth', { channel: 'inbox', tier: 'low' })).toBe(3);
    expect(m.value('concurrengine_queue_dropped_total', { channel: 'inbox', side: 'oldest' })).toBe(5);
  });
});
