/**
 * A real scrape: a running exporter fed by a fake source, `/metrics` fetched over HTTP and parsed.
 * Names, types and values must be what the table in `metricNames.ts` documents and what the
 * "engine" did.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRIC, METRIC_SPECS, startTelemetry, type RunningTelemetry } from '../src/index.js';
import { createFakeSource, createManualClock, parseExposition, type Exposition, type FakeSource } from '../src/testing.js';
import { send } from './fixtures/http.js';
import { createSimulatedWorld } from './fixtures/simulatedWorld.js';

let source: FakeSource;
let telemetry: RunningTelemetry;
const clock = createManualClock(1_000);

async function scrape(): Promise<Exposition> {
  const res = await send(telemetry.server, '/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(res.body);
}

beforeEach(async () => {
  source = createFakeSource();
  telemetry = await startTelemetry({ source, endpoint: { port: 0 }, publishIntervalMs: 0, sampleRate: 0.5, clock, lifecycleStates: ['created', 'running', 'paused'] });
});
afterEach(() => telemetry.close());

describe('/metrics', () => {
  it('lists every documented family with its type and help, and nothing else of ours', async () => {
    const exposition = await scrape();
    for (const spec of METRIC_SPECS) {
      expect(exposition.types.get(spec.name), spec.name).toBe(spec.type);
      expect(exposition.help.get(spec.name)).toBe(spec.help);
      if (spec.type === 'counter') expect(spec.name).toMatch(/_total$/);
      if (spec.type === 'histogram') expect(spec.name).toMatch(/_seconds$/);
    }
    expect([...exposition.types.keys()].sort()).toEqual(METRIC_SPECS.map((s) => s.name).sort());
  });

  it('reports what the engine did: ticks, overruns, dispatches, queues, actors, partitions, lifecycle', async () => {
    const world = createSimulatedWorld(source, telemetry);
    for (let i = 0; i < 40; i++) world.step(i === 10 || i === 20 ? 0.03 : 0.005);
    clock.advance(1000);
    const m = await scrape();
    expect(m.value(`${METRIC.tickDuration.name}_count`)).toBe(40);
    expect(m.value(`${METRIC.tickDuration.name}_sum`)).toBeCloseTo(38 * 0.005 + 2 * 0.03, 9);
    expect(m.value(`${METRIC.tickDuration.name}_bucket`, { le: '0.008' })).toBe(38);
    expect(m.value(`${METRIC.tickDuration.name}_bucket`, { le: '+Inf' })).toBe(40);
    expect(m.value(METRIC.tickOverruns.name)).toBe(2);
    expect(m.value(METRIC.tickBudget.name)).toBeCloseTo(1 / 60, 12);
    expect(m.value(METRIC.currentTick.name)).toBe(40);
    expect(m.value(METRIC.workers.name)).toBe(2);
    expect(m.value(METRIC.dispatches.name, { worker: '1', path: 'local' })).toBe(40 * 600);
    expect(m.value(METRIC.dispatches.name, { worker: '1', path: 'stolen' })).toBe(40 * 12);
    expect(m.value(METRIC.steals.name, { worker: '0' })).toBe(40);
    expect(m.value(METRIC.failedSteals.name, { worker: '0' })).toBe(8);
    expect(m.value(METRIC.busySeconds.name, { worker: '1' })).toBeCloseTo(40 * 9 / 1000, 9);
    expect(m.value(METRIC.busyRatio.name, { worker: '1' })).toBeCloseTo(0.36, 9); // 360 ms busy in 1000 ms
    const inbox = source.queueStats[0];
    expect(m.value(METRIC.queueDepth.name, { channel: 'inbox', tier: 'normal' })).toBe(inbox?.depth['normal']);
    expect(m.value(METRIC.dropped.name, { channel: 'inbox', side: 'newest' })).toBe(4);
    expect(m.value(METRIC.blockedSenders.name, { channel: 'events' })).toBe(0);
    expect(m.value(METRIC.actors.name, { kind: 'GameEntity' })).toBe(10_040);
    expect(m.value(METRIC.eventsEmitted.name, { kind: 'GameEntity' })).toBe(400_000);
    expect(m.value(METRIC.partitions.name)).toBe(32);
    const hottest = [...source.partitionStats].sort((a, b) => b.heat - a.heat)[0];
    expect(m.value(METRIC.partitionHeat.name, { partition: String(hottest?.id) })).toBe(hottest?.heat);
    expect(m.value(METRIC.lifecycleState.name, { state: 'running' })).toBe(1);
    expect(m.value(METRIC.lifecycleState.name, { state: 'paused' })).toBe(0);
    expect(m.value(METRIC.traceSampled.name)).toBeGreaterThan(0);
  });

  it('counts snapshot bytes and write latency from the hook', async () => {
    telemetry.recordSnapshot(4096, 0.002);
    telemetry.recordSnapshot(1_000_000, 0.04);
    const m = await scrape();
    expect(m.value(METRIC.snapshotBytes.name)).toBe(1_004_096);
    expect(m.value(`${METRIC.snapshotDuration.name}_count`)).toBe(2);
    expect(m.value(`${METRIC.snapshotDuration.name}_bucket`, { le: '0.005' })).toBe(1);
  });

  it('reads each source member once per scrape however many families it feeds', async () => {
    createSimulatedWorld(source, telemetry).step();
    await scrape();
    expect(source.calls.threads).toBe(1);
    expect(source.calls.queues).toBe(1);
    await scrape();
    expect(source.calls.threads).toBe(2);
  });

  it('keeps counters monotonic across scrapes, even when a worker is replaced and restarts from 0', async () => {
    const world = createSimulatedWorld(source, telemetry);
    let previous = new Map<string, number>();
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 10; i++) world.step();
      if (round === 3) source.threadStats = source.threadStats.map((t) => (t.worker === 1 ? { ...t, localPops: 7, stolenJobs: 0, steals: 0, busyMs: 1 } : t));
      clock.advance(500);
      const m = await scrape();
      const now = new Map<string, number>();
      for (const s of m.samples) if (m.types.get(s.name) === 'counter' || s.name.endsWith('_count')) now.set(`${s.name}${JSON.stringify(s.labels)}`, s.value);
      for (const [key, value] of previous) expect(now.get(key), key).toBeGreaterThanOrEqual(value);
      previous = now;
    }
    expect(previous.get(`${METRIC.dispatches.name}{"worker":"1","path":"local"}`)).toBe(30 * 600 + 7);
  });

  it('drops the series of a worker or channel that left the source', async () => {
    createSimulatedWorld(source, telemetry).step();
    source.threadStats = source.threadStats.slice(0, 1);
    source.queueStats = [];
    const m = await scrape();
    expect(m.value(METRIC.steals.name, { worker: '1' })).toBeUndefined();
    expect(m.samples.some((s) => s.name === METRIC.queueDepth.name)).toBe(false);
  });

  it('caps per-partition series at maxPartitionSeries, hottest first', async () => {
    await telemetry.close();
    telemetry = await startTelemetry({ source, endpoint: { port: 0 }, publishIntervalMs: 0, maxPartitionSeries: 3, clock });
    createSimulatedWorld(source, telemetry).step();
    const m = await scrape();
    const heats = m.samples.filter((s) => s.name === METRIC.partitionHeat.name).map((s) => s.value);
    expect(heats).toHaveLength(3);
    const top = source.partitionStats.map((p) => p.heat).sort((a, b) => b - a).slice(0, 3);
    expect(heats.sort((a, b) => b - a)).toEqual(top);
    expect(m.value(METRIC.partitions.name)).toBe(32);
  });
});
