import { createServer } from 'node:net';

import { createMemorySnapshotStore } from '@concurrengine/snapshot';
import { METRIC, METRIC_SPECS } from '@concurrengine/telemetry';
import { parseExposition, type Exposition } from '@concurrengine/telemetry/testing';
import { describe, expect, it } from 'vitest';

import { createEngine, type Engine, type EngineState } from '../src/index.js';
import { Drifter } from './fixtures/drift.js';
import { populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const DRIFT = new URL('./fixtures/drift.ts', import.meta.url).href;

const scrape = async (engine: Engine): Promise<Exposition> => parseExposition(await (await fetch(`${engine.telemetryUrl()!}metrics`)).text());

/** Waits until the snapshot writer's queued writes have landed (its counters stop moving). */
async function settledSnapshots(engine: Engine): Promise<void> {
  let last = '';
  for (let i = 0; i < 100; i++) {
    const now = JSON.stringify(engine.stats().snapshots);
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** The exported supervision, snapshot and retention figures equal what the engine reports. */
function expectEngineFigures(m: Exposition, engine: Engine): void {
  const { supervision, snapshots } = engine.stats();
  const retention = engine.retention()!;
  expect(m.value(METRIC.restarts.name)).toBe(supervision!.restarts);
  expect(m.value(METRIC.backoffs.name)).toBe(supervision!.suspended);
  expect(m.value(METRIC.supervisionEscalations.name)).toBe(supervision!.escalations);
  expect(m.value(METRIC.jobsRedone.name)).toBe(supervision!.jobsRedone);
  expect(m.value(METRIC.lastRedoDuration.name)).toBeCloseTo(supervision!.lastRedoMs / 1000, 9);
  expect(m.value(METRIC.snapshotsWritten.name)).toBe(snapshots!.written);
  expect(m.value(METRIC.snapshotsSkipped.name)).toBe(snapshots!.skipped);
  expect(m.value(METRIC.snapshotsFailed.name)).toBe(snapshots!.failed);
  expect(m.value(METRIC.snapshotBytesWritten.name)).toBe(snapshots!.bytesWritten);
  expect(m.value(METRIC.retainedTicks.name)).toBe(retention.ticks.length);
  expect(m.value(METRIC.retainedBytes.name)).toBe(retention.retainedBytes + retention.pendingBytes);
}

/** Every counter (and histogram count/bucket) sample of `before` is ≤ its value in `after`. */
function expectCountersRose(before: Exposition, after: Exposition): void {
  for (const sample of before.samples) {
    const type = before.types.get(sample.name.replace(/_(bucket|sum|count)$/, '')) ?? before.types.get(sample.name);
    if (type !== 'counter' && !(type === 'histogram' && !sample.name.endsWith('_sum'))) continue;
    expect(after.value(sample.name, sample.labels), sample.name).toBeGreaterThanOrEqual(sample.value);
  }
}

describe('telemetry wiring', () => {
  it('serves the engine’s metrics over real HTTP while it runs', async () => {
    const engine = createEngine({ threads: 2, seed: 5, actorModules: [SIM], telemetry: { endpoint: { host: '127.0.0.1', port: 0 }, publishIntervalMs: 0 } });
    try {
      populate((n, init) => engine.spawn(Walker, n, init), 500);
      await engine.run({ ticks: 12 });
      const url = engine.telemetryUrl();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const response = await fetch(`${url}metrics`);
      expect(response.status).toBe(200);
      const metrics = parseExposition(await response.text());
      expect(metrics.value('concurrengine_tick_duration_seconds_count')).toBe(12);
      expect(metrics.value('concurrengine_actors', { kind: 'Walker' })).toBe(engine.stats().actors);
      expect(metrics.value('concurrengine_events_emitted_total', { kind: 'Walker' })).toBe(engine.stats().eventsEmitted);
      expect(metrics.value('concurrengine_lifecycle_state', { state: 'paused' })).toBe(1);
      const local = metrics.value('concurrengine_dispatches_total', { worker: '0', path: 'local' }) ?? 0;
      expect(local).toBeGreaterThan(0);
      // Every family is exported with its documented type.
      for (const spec of METRIC_SPECS) expect(metrics.types.get(spec.name), spec.name).toBe(spec.type);
      // Counters only increase between scrapes, and follow what the engine did.
      await engine.run({ ticks: 5 });
      const later = parseExposition(await (await fetch(`${url}metrics`)).text());
      expect(later.value('concurrengine_tick_duration_seconds_count')).toBe(17);
      expectCountersRose(metrics, later);
      // Unsupervised, no snapshots, no retention: those families read 0.
      expect(later.value(METRIC.restarts.name)).toBeUndefined();
      expect(later.value(METRIC.snapshotsWritten.name)).toBe(0);
      expect(later.value(METRIC.retainedTicks.name)).toBe(0);
      // No spatial index: no spatial series.
      expect(later.samples.filter((s) => s.name.startsWith('concurrengine_spatial_'))).toEqual([]);
      const page = await fetch(url!);
      expect(await page.text()).toContain('<canvas');
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('exports supervision, snapshots, retention and lifecycle transitions as the engine reports them, counters only rising (a rewind included)', async () => {
    const engine = createEngine({
      threads: 2,
      seed: 4,
      actorModules: [DRIFT],
      retention: { recent: 8 },
      snapshots: { store: createMemorySnapshotStore(), every: 2, keep: 100 },
      supervision: { policy: { restart: 'permanent', backoff: { kind: 'exponential', min: 2, max: 8, jitter: 0, resetAfter: 100 }, maxRestarts: 1000, within: 50 } },
      telemetry: { endpoint: { host: '127.0.0.1', port: 0 }, publishIntervalMs: 0 },
    });
    const entered: EngineState[] = [];
    engine.onStateChange((state) => entered.push(state));
    engine.spawn(Drifter, 4000, (d, i) => {
      d.position.set(i, 0, -i);
      d.velocity.set((i % 5) - 2, 1, (i % 3) - 1);
    });
    try {
      engine.drill({ handlerThrowRate: 0.002 });
      await engine.run({ ticks: 10 });
      await settledSnapshots(engine);
      const first = await scrape(engine);
      for (const spec of METRIC_SPECS) expect(first.types.get(spec.name), spec.name).toBe(spec.type);
      expect(engine.stats().supervision!.restarts).toBeGreaterThan(0);
      expect(engine.stats().snapshots!.written).toBeGreaterThan(0);
      expectEngineFigures(first, engine);
      const transitions = (m: Exposition, state: string) => m.value(METRIC.lifecycleTransitions.name, { state }) ?? 0;
      for (const state of new Set(entered)) expect(transitions(first, state), state).toBe(entered.filter((s) => s === state).length);

      // A worker dies mid-tick: its jobs are redone, and the redo is timed.
      engine.drill({ handlerThrowRate: 0.002, workerExitRate: 0.08 });
      await engine.step(4);
      engine.drill({ handlerThrowRate: 0, workerExitRate: 0 });
      await engine.step(2);
      await settledSnapshots(engine);
      const second = await scrape(engine);
      expect(engine.stats().supervision!.jobsRedone).toBeGreaterThan(0);
      expectEngineFigures(second, engine);
      expectCountersRose(first, second);
      expect(transitions(second, 'stepping')).toBe(entered.filter((s) => s === 'stepping').length);

      // A rewind takes supervision's counters back with the world; the exported ones carry on.
      const restartsBefore = engine.stats().supervision!.restarts;
      await engine.rewind(engine.retention()!.ticks[0]!);
      expect(engine.stats().supervision!.restarts).toBeLessThan(restartsBefore);
      const third = await scrape(engine);
      expectCountersRose(second, third);
      expect(transitions(third, 'rewinding')).toBe(1);
      expect(third.value(METRIC.retainedTicks.name)).toBe(engine.retention()!.ticks.length);
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('exports the spatial index’s boundary work and its sorts, labelled with the strategy, as the engine reports them', async () => {
    const engine = createEngine({
      threads: 1,
      seed: 3,
      actorModules: [SIM],
      spatial: { strategy: 'adaptive-octree', splitAbove: 16, reorderEvery: 2 },
      telemetry: { endpoint: { host: '127.0.0.1', port: 0 }, publishIntervalMs: 0 },
    });
    const octree = { strategy: 'adaptive-octree' };
    const expectSpatialFigures = (m: Exposition) => {
      const s = engine.stats().spatial!;
      expect(m.value(METRIC.spatialIndexDuration.name, octree)).toBeCloseTo(s.updateMs / 1000, 9);
      expect(m.value(METRIC.spatialSorts.name, octree)).toBe(s.sorts);
      expect(m.value(METRIC.spatialRefits.name, octree)).toBe(s.refits);
      expect(m.value(METRIC.spatialLastSortDuration.name, octree)).toBeCloseTo(s.sortMs / 1000, 9);
      expect(m.value(METRIC.spatialSplits.name, octree)).toBe(s.splits);
      expect(m.value(METRIC.spatialMerges.name, octree)).toBe(s.merges);
      expect(m.value(METRIC.spatialCrossings.name, octree)).toBe(s.crossings);
      expect(m.value(METRIC.spatialOutside.name, octree)).toBe(s.outside);
      expect(m.value(METRIC.spatialPartitionJobs.name, octree)).toBe(s.partitionJobs);
    };
    populate((n, init) => engine.spawn(Walker, n, init), 600);
    try {
      await engine.step(5);
      const first = await scrape(engine);
      for (const spec of METRIC_SPECS.filter((s) => s.name.startsWith('concurrengine_spatial_'))) {
        expect(first.types.get(spec.name), spec.name).toBe(spec.type);
        expect(first.samples.filter((s) => s.name === spec.name).map((s) => s.labels), spec.name).toEqual([octree]);
      }
      const sorted = engine.stats().spatial!.sorts;
      expect(sorted).toBeGreaterThanOrEqual(2); // the first boundary, then every 2 ticks
      expect(engine.stats().spatial!.splits).toBeGreaterThan(0);
      expectSpatialFigures(first);
      expect(first.value(METRIC.spatialLastSortDuration.name, octree)).toBeGreaterThan(0);

      await engine.step(4);
      const second = await scrape(engine);
      expect(engine.stats().spatial!.sorts).toBe(sorted + 2); // one sort every 2 ticks
      expectSpatialFigures(second);
      expectCountersRose(first, second);
    } finally {
      await engine.close();
    }
  }, 20_000);

  it('runs on without telemetry when its port is taken, says why, and its supervisor brings it up once the port is free', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const errors: Error[] = [];
    const restarts: number[] = [];
    const engine = createEngine({
      threads: 1,
      actorModules: [SIM],
      telemetry: { endpoint: { host: '127.0.0.1', port }, onError: (e) => errors.push(e) },
      infrastructure: { backoff: { kind: 'fixed', delay: 100 }, intensity: { maxRestarts: 50, withinMs: 60_000 }, onEvent: (e) => e.type === 'restart' && restarts.push(e.delay) },
    });
    try {
      populate((n, init) => engine.spawn(Walker, n, init), 10);
      await engine.step(3);
      expect(engine.stats().tick).toBe(3);
      expect(engine.telemetryUrl()).toBeUndefined();
      expect(errors[0]).toEqual(expect.objectContaining({ code: 'TELEMETRY_PORT_IN_USE', message: expect.stringContaining(String(port)) }));
      // Free the port only once the supervisor has retried: the exporter's thread takes a while to
      // start, so its first supervised try may otherwise come after the port is free.
      for (let i = 0; i < 200 && restarts.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      for (let i = 0; i < 100 && !engine.telemetryUrl(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(engine.telemetryUrl()).toBe(`http://127.0.0.1:${port}/`);
      expect(restarts.length).toBeGreaterThan(0);
      expect(restarts.every((delay) => delay === 100)).toBe(true);
      const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scrape.status).toBe(200);
    } finally {
      await engine.close();
      blocker.close();
    }
  });
});
