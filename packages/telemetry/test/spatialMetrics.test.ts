/**
 * Spatial index families over a real scrape of a fake source: present with their documented types,
 * labelled with the strategy, equal to what the source reports (seconds for durations), counters
 * never lower than before, and no series without an index.
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

const SPATIAL_FAMILIES = [
  METRIC.spatialIndexDuration,
  METRIC.spatialPassDuration,
  METRIC.spatialSorts,
  METRIC.spatialRefits,
  METRIC.spatialLastSortDuration,
  METRIC.spatialSplits,
  METRIC.spatialMerges,
  METRIC.spatialCrossings,
  METRIC.spatialOutside,
  METRIC.spatialPartitionJobs,
];

const OCTREE = { strategy: 'adaptive-octree', indexSeconds: 0.0191, passSeconds: 0.0042, sorts: 9, refits: 3, lastSortSeconds: 0.151, splits: 40, merges: 6, crossings: 12_345, outside: 2, partitionJobs: 17 };

beforeEach(async () => {
  source = createFakeSource();
  telemetry = await startTelemetry({ source, endpoint: { port: 0 }, publishIntervalMs: 0 });
});
afterEach(() => telemetry.close());

describe('spatial index families', () => {
  it('are listed with their types and the strategy label, with no series without an index', async () => {
    const m = await scrape();
    for (const spec of SPATIAL_FAMILIES) {
      expect(m.types.get(spec.name), spec.name).toBe(spec.type);
      expect(spec.labels, spec.name).toEqual(['strategy']);
      expect(m.samples.filter((s) => s.name === spec.name), spec.name).toEqual([]);
    }
    expect(source.calls.spatial).toBe(1);
  });

  it('export what the source reports, labelled with its strategy, from one read per scrape', async () => {
    source.spatialStats = OCTREE;
    const m = await scrape();
    const strategy = { strategy: 'adaptive-octree' };
    expect(m.value(METRIC.spatialIndexDuration.name, strategy)).toBeCloseTo(0.0191, 12);
    expect(m.value(METRIC.spatialPassDuration.name, strategy)).toBeCloseTo(0.0042, 12);
    expect(m.value(METRIC.spatialSorts.name, strategy)).toBe(9);
    expect(m.value(METRIC.spatialRefits.name, strategy)).toBe(3);
    expect(m.value(METRIC.spatialLastSortDuration.name, strategy)).toBeCloseTo(0.151, 12);
    expect(m.value(METRIC.spatialSplits.name, strategy)).toBe(40);
    expect(m.value(METRIC.spatialMerges.name, strategy)).toBe(6);
    expect(m.value(METRIC.spatialCrossings.name, strategy)).toBe(12_345);
    expect(m.value(METRIC.spatialOutside.name, strategy)).toBe(2);
    expect(m.value(METRIC.spatialPartitionJobs.name, strategy)).toBe(17);
    for (const spec of SPATIAL_FAMILIES) expect(m.samples.filter((s) => s.name === spec.name).map((s) => s.labels), spec.name).toEqual([strategy]);
    expect(source.calls.spatial).toBe(1); // one read for all ten families
  });

  it('give a field the source leaves out no series (a grid without sorts)', async () => {
    source.spatialStats = { strategy: 'uniform-grid', indexSeconds: 0.072 };
    const m = await scrape();
    expect(m.value(METRIC.spatialIndexDuration.name, { strategy: 'uniform-grid' })).toBeCloseTo(0.072, 12);
    for (const spec of SPATIAL_FAMILIES.filter((s) => s !== METRIC.spatialIndexDuration)) {
      expect(m.samples.filter((s) => s.name === spec.name), spec.name).toEqual([]);
    }
  });

  it('keep counters rising when the source goes back; gauges follow it', async () => {
    source.spatialStats = OCTREE;
    const before = await scrape();
    source.spatialStats = { ...OCTREE, indexSeconds: 0.004, sorts: 2, lastSortSeconds: 0.09, splits: 5, merges: 6, crossings: 100, outside: 0, partitionJobs: 1 };
    const after = await scrape();
    for (const spec of SPATIAL_FAMILIES.filter((s) => s.type === 'counter')) {
      for (const sample of before.samples.filter((s) => s.name === spec.name)) {
        expect(after.value(sample.name, sample.labels), sample.name).toBeGreaterThanOrEqual(sample.value);
      }
    }
    expect(after.value(METRIC.spatialSorts.name)).toBe(11); // 9 carried over the reset, then 2 more
    expect(after.value(METRIC.spatialMerges.name)).toBe(6);
    expect(after.value(METRIC.spatialIndexDuration.name)).toBe(0.004);
    expect(after.value(METRIC.spatialLastSortDuration.name)).toBe(0.09);
    expect(after.value(METRIC.spatialOutside.name)).toBe(0);
  });

  it('are sent in dashboard frames in ms, and as null without an index', async () => {
    source.spatialStats = { strategy: 'adaptive-octree', indexSeconds: 0.0191, sorts: 9, lastSortSeconds: 0.1514 };
    const [frame] = (await readFrames(telemetry.server, 1)) as [{ spatial: unknown }];
    expect(frame.spatial).toEqual({ strategy: 'adaptive-octree', indexMs: 19.1, sorts: 9, lastSortMs: 151.4, splits: null, merges: null, crossings: null, outside: null });
    source.spatialStats = undefined;
    expect(telemetry.frame()).toMatchObject({ spatial: null });
  });
});
