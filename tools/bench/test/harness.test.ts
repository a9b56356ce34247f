import { describe, expect, it } from 'vitest';

import { benchLine, createBenchSuite, createPrng, percentile, ratioOf, summarize, type BenchRecord } from '../src/index.js';

describe('createPrng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const prng = createPrng(seed);
      return Array.from({ length: 8 }, () => prng.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('stays in range and is roughly uniform', () => {
    const prng = createPrng(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const v = prng.next();
      expect(v >= 0 && v < 1).toBe(true);
      buckets[Math.floor(v * 10)]!++;
    }
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const k = prng.int(5);
      expect(Number.isInteger(k) && k >= 0 && k < 5).toBe(true);
    }
  });
});

describe('summarize and percentile', () => {
  it('computes median, extremes, mean and sample sd', () => {
    const s = summarize([5, 1, 3, 2, 4]);
    expect(s).toMatchObject({ median: 3, min: 1, max: 5, mean: 3, samples: 5 });
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5));
    expect(summarize([1, 2, 3, 4]).median).toBe(2.5);
  });

  it('rejects an empty sample set', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 100)).toBe(100);
  });
});

describe('ratioOf', () => {
  it('is above 1 exactly when ours is ahead', () => {
    expect(ratioOf(200, 100, 'higher')).toBe(2);
    expect(ratioOf(50, 100, 'lower')).toBe(2);
    expect(ratioOf(200, 100, 'lower')).toBe(0.5);
  });
});

describe('createBenchSuite', () => {
  it('prints one parseable BENCH line per case with the contract fields', async () => {
    const lines: string[] = [];
    const fast = (ops: number) => {
      let x = 0;
      for (let i = 0; i < ops; i++) x += i;
      return x;
    };
    const slow = (ops: number) => {
      let x = 0;
      for (let i = 0; i < ops * 20; i++) x += Math.sqrt(i);
      return x;
    };
    const records = await createBenchSuite({ package: 'demo', seed: 1, write: (l) => lines.push(l) })
      .compare({ case: 'loop', unit: 'ops/s', samples: 3, sampleMs: 2, ours: { name: 'fast', run: fast }, peer: { name: 'slow', run: slow } })
      .measure({ case: 'limit-case', unit: 'ms', better: 'lower', samples: 3, limit: 8, ours: { name: 'x', sample: () => 1 } })
      .run();
    const benchLines = lines.filter((l) => l.startsWith('BENCH '));
    expect(benchLines).toHaveLength(2);
    const parsed = benchLines.map((l) => JSON.parse(l.slice(6)) as BenchRecord);
    expect(parsed[0]).toMatchObject({ package: 'demo', case: 'loop', unit: 'ops/s', peer: 'slow', better: 'higher', node: process.version });
    expect(parsed[0]!.ratio).toBeGreaterThan(1);
    expect(parsed[1]).toMatchObject({ case: 'limit-case', peer: null, limit: 8, ours: 1 });
    expect(benchLine(records[0]!)).toBe(benchLines[0]);
    expect(lines.join('\n')).toContain('within limit');
  });
});
