/**
 * Supervision, snapshot, retention and lifecycle-transition families over a real scrape of a fake
 * source: present with their documented types, equal to what the source reports, never lower than
 * before (supervision counters rewound with the world included), and 0 when not reported.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRIC, startTelemetry, type RunningTelemetry } from '../src/index.js';
import { createFakeSource, parseExposition, type Exposition, type FakeSource } from '../src/testing.js';
import { readFrames, send } from './fixtures/http.js';

let source: FakeSource;
let telemetry: RunningTelemetry;

async function scrape(): Promise<Exposition> {
  const res = await send(telemetry.server, '/metrics');
  expect(res.status).toBe(200);
  return parseExposition(res.body);
}

const NEW_FAMILIES = [
  METRIC.backoffs,
  METRIC.supervisionEscalations,
  METRIC.jobsRedone,
  METRIC.lastRedoDuration,
  METRIC.snapshotsWritten,
  METRIC.snapshotsSkipped,
  METRIC.snapshotsFailed,
  METRIC.snapshotBytesWritten,
  METRIC.retainedTicks,
  METRIC.retainedBytes,
  METRIC.lifecycleTransitions,
];

beforeEach(async () => {
  source = createFakeSource();
  telemetry = await startTelemetry({ source, endpoint: { port: 0 }, publishIntervalMs: 0 });
});
afterEach(() => telemetry.close());

describe('recovery families', () => {
  it('reads 0 (no series where a family has labels) for what the source does not report', async () => {
    const m = await scrape();
    for (const spec of [...NEW_FAMILIES, METRIC.restarts]) {
      expect(m.types.get(spec.name), spec.name).toBe(spec.type);
      const samples = m.samples.filter((s) => s.name === spec.name);
      // prom-client always lists an unlabelled family, at 0 until set.
      expect(samples.map((s) => s.value), spec.name).toEqual(spec.labels.length === 0 ? [0] : []);
    }
  });

  it('exports what the source reports: supervision, snapshots, the rewind window and transitions', async () => {
    source.supervisionStats = { restarts: 7, backoffs: 3, escalations: 1, jobsRedone: 12, lastRedoSeconds: 0.0042 };
    source.snapshotStats = { written: 5, skipped: 2, failed: 1, bytesWritten: 81_920 };
    source.retainedStats = { ticks: 20, bytes: 1_048_576 };
    source.transitionCounts = { starting: 1, running: 3, paused: 2 };
    const m = await scrape();
    expect(m.value(METRIC.restarts.name)).toBe(7);
    expect(m.samples.find((s) => s.name === METRIC.restarts.name)?.labels).toEqual({}); // a total: no kind
    expect(m.value(METRIC.backoffs.name)).toBe(3);
    expect(m.value(METRIC.supervisionEscalations.name)).toBe(1);
    expect(m.value(METRIC.jobsRedone.name)).toBe(12);
    expect(m.value(METRIC.lastRedoDuration.name)).toBeCloseTo(0.0042, 12);
    expect(m.value(METRIC.snapshotsWritten.name)).toBe(5);
    expect(m.value(METRIC.snapshotsSkipped.name)).toBe(2);
    expect(m.value(METRIC.snapshotsFailed.name)).toBe(1);
    expect(m.value(METRIC.snapshotBytesWritten.name)).toBe(81_920);
    expect(m.value(METRIC.retainedTicks.name)).toBe(20);
    expect(m.value(METRIC.retainedBytes.name)).toBe(1_048_576);
    expect(m.value(METRIC.lifecycleTransitions.name, { state: 'running' })).toBe(3);
    expect(m.value(METRIC.lifecycleTransitions.name, { state: 'paused' })).toBe(2);
    expect(source.calls.supervision).toBe(1); // one read per scrape for all five families
  });

  it('counts restarts per kind when the source does, and then not the total as well', async () => {
    source.actorStats = [{ kind: 'A', count: 1, restarts: 4 }, { kind: 'B', count: 1, restarts: 1 }];
    source.supervisionStats = { restarts: 5 };
    const m = await scrape();
    expect(m.samples.filter((s) => s.name === METRIC.restarts.name).map((s) => [s.labels['kind'], s.value])).toEqual([['A', 4], ['B', 1]]);
  });

  it('keeps counters rising when the source goes back (supervision rewound with the world), gauges follow it', async () => {
    source.supervisionStats = { restarts: 10, backoffs: 4, escalations: 2, jobsRedone: 6, lastRedoSeconds: 0.003 };
    source.retainedStats = { ticks: 20, bytes: 4096 };
    const before = await scrape();
    source.supervisionStats = { restarts: 3, backoffs: 1, escalations: 0, jobsRedone: 6, lastRedoSeconds: 0.001 }; // rewound
    source.retainedStats = { ticks: 5, bytes: 1024 };
    const after = await scrape();
    for (const spec of NEW_FAMILIES.filter((s) => s.type === 'counter')) {
      for (const sample of before.samples.filter((s) => s.name === spec.name)) {
        expect(after.value(sample.name, sample.labels), sample.name).toBeGreaterThanOrEqual(sample.value);
      }
    }
    expect(after.value(METRIC.restarts.name)).toBe(13); // 10 carried over the reset, then 3 more
    expect(after.value(METRIC.lastRedoDuration.name)).toBe(0.001);
    expect(after.value(METRIC.retainedTicks.name)).toBe(5);
  });

  it('sends supervision and snapshot counts in dashboard frames, and reads neither retention nor transitions there', async () => {
    source.supervisionStats = { restarts: 2, backoffs: 1, escalations: 0, jobsRedone: 3, lastRedoSeconds: 0.0125 };
    source.snapshotStats = { written: 4, bytesWritten: 2048 };
    source.retainedStats = { ticks: 1, bytes: 1 };
    const [frame] = (await readFrames(telemetry.server, 1)) as [{ supervision: unknown; snapshots: unknown }];
    expect(frame.supervision).toEqual({ restarts: 2, backoffs: 1, escalations: 0, jobsRedone: 3, lastRedoMs: 12.5 });
    expect(frame.snapshots).toEqual({ written: 4, skipped: null, failed: null, bytesWritten: 2048 });
    expect(source.calls.retained).toBe(0);
    expect(source.calls.lifecycleTransitions).toBe(0);
    source.supervisionStats = undefined;
    source.snapshotStats = undefined;
    expect(telemetry.frame()).toMatchObject({ supervision: null, snapshots: null });
  });
});
