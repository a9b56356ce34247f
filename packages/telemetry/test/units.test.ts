/** The small parts: sampling, rings, monotonic totals, rates, frames, the no-op telemetry and the parser. */
import { describe, expect, it } from 'vitest';
import { createTelemetry, noopTelemetry } from '../src/index.js';
import { createMonotonicTotals } from '../src/monotonicTotals.js';
import { createRateTracker } from '../src/rateTracker.js';
import { createTickLog } from '../src/tickLog.js';
import { createTraceRing } from '../src/traceRing.js';
import { createFakeSource, createManualClock, parseExposition } from '../src/testing.js';
import { createSimulatedWorld } from './fixtures/simulatedWorld.js';

describe('trace sampling', () => {
  it('picks about sample_rate of actors, deterministically', () => {
    const ring = createTraceRing(0.01);
    let picked = 0;
    for (let actor = 0; actor < 200_000; actor++) if (ring.isSampled(actor)) picked++;
    expect(picked / 200_000).toBeGreaterThan(0.009);
    expect(picked / 200_000).toBeLessThan(0.011);
    const again = createTraceRing(0.01);
    for (let actor = 0; actor < 1000; actor++) expect(again.isSampled(actor)).toBe(ring.isSampled(actor));
    expect(createTraceRing(0).isSampled(0)).toBe(false);
    expect([1, 2, 3, 0x7fffffff].every((a) => createTraceRing(1).isSampled(a))).toBe(true);
  });

  it('keeps the newest events, one by one or in batches bounded by the capacity', () => {
    const ring = createTraceRing(1, 4);
    for (let i = 0; i < 6; i++) ring.record(i, 100 + i, 'A');
    expect(ring.count).toBe(6);
    expect(ring.since(0, 10).map((e) => e.actor)).toEqual([102, 103, 104, 105]);
    expect(ring.since(5, 10)).toEqual([{ tick: 5, actor: 105, type: 'A' }]);
    const many = Int32Array.from({ length: 1000 }, (_, i) => i);
    ring.recordMany(7, 'B', many, 999);
    expect(ring.count).toBe(6 + 999);
    expect(ring.since(6, 2)).toEqual([{ tick: 7, actor: 997, type: 'B' }, { tick: 7, actor: 998, type: 'B' }]);
  });
});

describe('rings and rates', () => {
  it('tick log returns ticks since a cursor in ms, at most its capacity', () => {
    const log = createTickLog(3);
    [0.001, 0.002, 0.003, 0.004].forEach((s) => log.push(s));
    expect(log.since(0)).toEqual([2, 3, 4]);
    expect(log.since(3)).toEqual([4]);
    expect(log.since(4)).toEqual([]);
  });

  it('monotonic totals carry a reset forward', () => {
    const totals = createMonotonicTotals();
    expect([10, 15, 3, 8, 0, 1].map((raw) => totals.value('k', raw))).toEqual([10, 15, 18, 23, 23, 24]);
    expect(totals.value('other', 5)).toBe(5);
  });

  it('busy ratio is growth over elapsed time, clamped, per consumer', () => {
    const clock = createManualClock(0);
    const rates = createRateTracker(clock);
    clock.advance(100);
    expect(rates.ratio(0, 25)).toBeCloseTo(0.25);
    clock.advance(100);
    expect(rates.ratio(0, 125)).toBe(1);
    clock.advance(100);
    expect(rates.ratio(0, 125)).toBe(0);
    expect(rates.delta('x', 5)).toBe(0);
    expect(rates.delta('x', 12)).toBe(7);
  });
});

describe('dashboard frames', () => {
  it('carry rates over the interval and read partitions only every third frame', () => {
    const clock = createManualClock(0);
    const source = createFakeSource();
    const telemetry = createTelemetry({ source, clock, sampleRate: 1 });
    const world = createSimulatedWorld(source, telemetry);
    world.step(0.004);
    telemetry.frame();
    world.step(0.02);
    clock.advance(100);
    const frame = telemetry.frame();
    expect(frame.ticks).toEqual([20]);
    expect(frame.overruns).toBe(1);
    expect(frame.threads[0]).toMatchObject({ worker: 0, busy: 0.06, localPerSec: 5000, parked: false });
    expect(frame.partitions).toBeNull();
    expect(frame.tiers['normal']).toBe((source.queueStats[0]?.depth['normal'] ?? 0) + (source.queueStats[1]?.depth['normal'] ?? 0));
    expect(frame.trace.length).toBe(20);
    telemetry.frame();
    expect(telemetry.frame().partitions).toHaveLength(32);
    expect(source.calls.partitions).toBe(2);
    expect(source.calls.threads).toBe(4);
  });

  it('ignores records after close', async () => {
    const telemetry = createTelemetry();
    await telemetry.close();
    telemetry.recordTick(1, 1);
    expect(parseExposition(await telemetry.metrics()).value('concurrengine_tick_duration_seconds_count')).toBe(0);
  });
});

describe('noopTelemetry and the parser', () => {
  it('noopTelemetry does nothing and samples nobody', async () => {
    noopTelemetry.recordTick(0.1, 1);
    noopTelemetry.recordSnapshot(1, 0.1);
    noopTelemetry.traceEvents(1, 'A', [1, 2]);
    expect(noopTelemetry.isSampled(1)).toBe(false);
    await expect(noopTelemetry.close()).resolves.toBeUndefined();
  });

  it('parses labels with escapes and refuses lines that are not samples', () => {
    const parsed = parseExposition('# TYPE a gauge\na{x="q\\"uote",y="n\\\\l"} 1.5\nb +Inf\n');
    expect(parsed.value('a')).toBe(1.5);
    expect(parsed.samples[0]?.labels).toEqual({ x: 'q"uote', y: 'n\\l' });
    expect(parsed.value('b')).toBe(Infinity);
    expect(() => parseExposition('what is this')).toThrow(/line 1/);
  });
});
