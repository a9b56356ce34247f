/**
 * The cost of `engine.rewind(tick)` ten ticks back, at 1k, 100k and 1M GameEntity actors (2
 * threads, every tick retained), against restoring a `structuredClone` of the columns (the
 * straightforward way: copy the saved bytes back) at the same size. The goal is a cost that stays
 * flat as the world grows: 1M / 1k ≤ 2.
 */
import { createBenchSuite, createPrng, percentile } from '@concurrengine/bench-harness';
import { createEngine, type Engine } from '@concurrengine/engine';

import { GameEntity } from './briefKinds.js';

const SEED = 42;
const KINDS = new URL('./briefKinds.ts', import.meta.url).href;
const BACK = 10;
const SIZES = [1_000, 100_000, 1_000_000];

async function engineOf(n: number): Promise<Engine> {
  const prng = createPrng(SEED);
  const engine = createEngine({ threads: 2, seed: SEED, actorModules: [KINDS], retention: { recent: BACK + 2 } });
  engine.spawn(GameEntity, n, (e) => e.velocity.set(prng.range(-1, 1), prng.range(-1, 1), prng.range(-1, 1)));
  await engine.step(BACK + 5);
  return engine;
}

/** One sample: run ten ticks forward (untimed), then time the rewind to where they started. */
const rewindSample = (engine: Engine, seen: number[]) => async () => {
  const from = engine.stats().tick;
  await engine.step(BACK);
  const start = performance.now();
  await engine.rewind(from);
  const us = (performance.now() - start) * 1000;
  seen.push(us);
  return us;
};

/** The peer: the columns saved by structuredClone, copied back into the live arrays. */
const cloneRestoreSample = (n: number) => {
  const live = new Float64Array(n * 6).fill(1);
  const saved = structuredClone(live);
  return () => {
    const start = performance.now();
    live.set(saved);
    return (performance.now() - start) * 1000;
  };
};

const seen = new Map<number, number[]>();
let suite = createBenchSuite({ package: 'engine', seed: SEED });
const engines: Engine[] = [];
for (const n of SIZES) {
  const engine = await engineOf(n);
  engines.push(engine);
  const samples: number[] = [];
  seen.set(n, samples);
  const label = n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`;
  suite = suite.measure({
    case: `rewind ${BACK} ticks back, ${label} actors`,
    unit: 'µs',
    better: 'lower',
    samples: 21,
    ours: { name: 'engine.rewind (page tables back)', sample: rewindSample(engine, samples) },
    peer: { name: 'copy a structuredClone of the columns back', sample: cloneRestoreSample(n) },
  });
}
await suite
  .measure({
    case: 'rewind cost 1M actors / 1k actors',
    unit: 'x',
    better: 'lower',
    samples: 1,
    limit: 2,
    ours: { name: 'median at 1M / median at 1k', sample: () => percentile(seen.get(1_000_000)!, 50) / percentile(seen.get(1_000)!, 50) },
  })
  .run();
await Promise.all(engines.map((e) => e.close()));
