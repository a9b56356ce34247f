import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig, stringifyConfig, type ConcurrengineConfig } from '../src/index.js';

const PARALLELISM = 4;
const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);

const duration = (min: number, max: number) => fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max), fc.integer({ min: Math.ceil(min / 1000), max: Math.floor(max / 1000) }).map((s) => s * 1000));
const endpoint = fc.record({
  host: fc.oneof(
    fc.ipV4(),
    fc.constantFrom('::1', '::', 'fe80::1', 'localhost'),
    fc.domain().filter((d) => d.length <= 253 && !/^[\d.]+$/.test(d)),
  ),
  port: fc.integer({ min: 0, max: 65_535 }),
});

const coordinate = fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((x) => x + 0);
const vec3 = fc.tuple(coordinate, coordinate, coordinate);
/** A world box with min < max on every axis, or both corners "auto". */
const worldBox = fc.oneof(
  fc.constant({ worldMin: 'auto' as const, worldMax: 'auto' as const }),
  fc.tuple(vec3, vec3).filter(([a, b]) => a.every((x, i) => x !== b[i])).map(([a, b]) => ({ worldMin: a.map((x, i) => Math.min(x, b[i]!)), worldMax: a.map((x, i) => Math.max(x, b[i]!)) })),
);

const anyConfig: fc.Arbitrary<ConcurrengineConfig> = fc
  .record({
    engine: fc
      .record({
        oversubscribe: fc.boolean(),
        threads: fc.integer({ min: 1, max: 4096 }),
        tickRateHz: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0.001, max: 10_000, noNaN: true })),
        partitionStrategy: fc.constantFrom('adaptive-octree', 'uniform-grid', 'single'),
        seed: fc.integer({ min: 0, max: 0xffff_ffff }),
        snapshotIntervalTicks: fc.integer({ min: 0, max: 1_000_000 }),
        snapshotMaxQueued: fc.integer({ min: 1, max: 1024 }),
        snapshotKeep: fc.integer({ min: 0, max: 1_000_000 }),
        snapshotDir: fc.string({ minLength: 1, unit: 'grapheme' }),
        retainTicks: fc.integer({ min: 0, max: 100_000 }),
      })
      .map((e) => ({ ...e, threads: e.oversubscribe ? e.threads : 1 + (e.threads % PARALLELISM) })),
    spatial: fc
      .record({
        box: worldBox,
        splitAbove: fc.integer({ min: 2, max: 1_000_000 }),
        mergeFraction: fc.option(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
        reorderEvery: fc.integer({ min: 0, max: 1_000_000 }),
        cellSize: fc.oneof(fc.constant('auto' as const), fc.double({ min: 1e-6, max: 1e9, noNaN: true })),
      })
      .map(({ box, mergeFraction, ...rest }) => ({ ...box, ...rest, mergeBelow: mergeFraction === null ? ('auto' as const) : Math.floor(mergeFraction * rest.splitAbove) })),
    network: fc.record({
      protocol: fc.constantFrom('quic', 'websocket', 'tcp'),
      listen: endpoint,
      maxConnections: fc.integer({ min: 1, max: 10_000_000 }),
      backpressure: fc.constantFrom('bounded', 'dropping', 'sliding'),
      queueCapacity: fc.integer({ min: 1, max: 1_048_576 }),
      idleTimeoutMs: duration(0, 86_400_000),
    }),
    telemetry: fc.record({
      exporter: fc.constantFrom('prometheus', 'none'),
      endpoint,
      sampleRate: fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0),
      publishIntervalMs: duration(10, 3_600_000),
      dashboard: fc.boolean(),
      maxConcurrentRequests: fc.integer({ min: 1, max: 100_000 }),
      authToken: fc.oneof(fc.constant(''), fc.stringMatching(/^[\x21-\x7e]{1,64}$/)),
    }),
    supervision: fc
      .record({
        restartPolicy: fc.constantFrom('exponential-backoff', 'fixed-backoff', 'immediate', 'never'),
        strategy: fc.constantFrom('one-for-one', 'one-for-all', 'rest-for-one'),
        maxRestarts: fc.integer({ min: 0, max: 1_000_000 }),
        restartWindowMs: duration(1, 86_400_000),
        backoffA: duration(0, 3_600_000),
        backoffB: duration(0, 3_600_000),
        resetAfterMs: duration(0, 86_400_000),
        isolation: fc.constantFrom('actor', 'partition', 'worker'),
      })
      .map(({ backoffA, backoffB, ...rest }) => ({ ...rest, backoffMinMs: Math.min(backoffA, backoffB), backoffMaxMs: Math.max(backoffA, backoffB) })),
  })
  .map((c) => c as ConcurrengineConfig);

describe('stringifyConfig', () => {
  it(`round-trips any valid config (fast-check seed ${seed})`, () => {
    console.log(`fast-check seed: ${seed} (rerun with FC_SEED=${seed})`);
    fc.assert(
      fc.property(anyConfig, (config) => {
        const text = stringifyConfig(config);
        const back = loadConfig({ text, availableParallelism: PARALLELISM });
        expect(back.config).toEqual(config);
        expect(stringifyConfig(back.config)).toBe(text);
      }),
      { seed, numRuns: 300 },
    );
  });
});
