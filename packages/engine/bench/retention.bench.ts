/**
 * What keeping rewindable history costs on the brief's example (1M GameEntity, 2 threads): tick
 * time with retention on (every tick, and every 10th) against off, and against the two
 * straightforward ways to keep history: a `structuredClone` of the columns after each tick, and a
 * world held in an `immutable` Map updated every tick. Samples are blocks of ticks.
 */
import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';
import { createEngine, type Engine, type RetentionPolicy } from '@concurrengine/engine';
import { Map as ImmutableMap } from 'immutable';

import { GameEntity } from './briefKinds.js';

const N = Number(process.env.ACTORS ?? 1_000_000);
const SEED = 42;
const DT = 1 / 60;
const KINDS = new URL('./briefKinds.ts', import.meta.url).href;
const BLOCK = 10;

const prng = createPrng(SEED);
const velocities = Float64Array.from({ length: N * 3 }, () => prng.range(-1, 1));

async function engineWith(retention?: RetentionPolicy): Promise<Engine> {
  const engine = createEngine({ threads: 2, seed: SEED, actorModules: [KINDS], ...(retention ? { retention } : {}) });
  engine.spawn(GameEntity, N, (e, i) => e.velocity.set(velocities[i * 3]!, velocities[i * 3 + 1]!, velocities[i * 3 + 2]!));
  await engine.step(40); // workers started, JIT warm, retention window full (frames recycled from here on)
  return engine;
}
const blockOf = (engine: Engine, extra?: () => void) => async () => {
  const start = performance.now();
  for (let i = 0; i < BLOCK; i++) {
    await engine.step();
    extra?.();
  }
  return (performance.now() - start) / BLOCK;
};

const off = await engineWith();
const everyTick = await engineWith({ recent: 30 });
const everyTenth = await engineWith({ recent: 0, every: 10, keepEvery: 6 });

// Peer (a): the same engine without retention, then a structuredClone of the columns (position and
// velocity, the bytes a snapshot must keep) after every tick, the last 30 kept.
const columns = new Float64Array(N * 6);
const clones: Float64Array[] = [];
const cloneColumns = () => {
  clones.push(structuredClone(columns));
  if (clones.length > 30) clones.shift();
};

// Peer (b): the world as an immutable Map of actor records, replaced every tick — history for free
// (keep the old maps), at the price of a persistent update per actor.
interface Entity {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly vx: number;
  readonly vy: number;
  readonly vz: number;
}
let world = ImmutableMap<number, Entity>().withMutations((m) => {
  for (let i = 0; i < N; i++) m.set(i, { x: 0, y: 0, z: 0, vx: velocities[i * 3]!, vy: velocities[i * 3 + 1]!, vz: velocities[i * 3 + 2]! });
});
const history: ImmutableMap<number, Entity>[] = [];
const immutableTick = () => {
  const start = performance.now();
  world = world.withMutations((m) => {
    for (let i = 0; i < N; i++) {
      const e = m.get(i)!;
      m.set(i, { ...e, x: e.x + e.vx * DT, y: e.y + e.vy * DT, z: e.z + e.vz * DT });
    }
  });
  history.push(world);
  if (history.length > 5) history.shift();
  return performance.now() - start;
};

const M = `${N / 1e6}M actors`;
const perTick = (engine: Engine) => {
  const r = engine.retention();
  return r && r.ticks.length > 1 ? r.retainedBytes / r.ticks.length : 0;
};
await createBenchSuite({ package: 'engine', seed: SEED })
  .measure({ case: `retention every tick (30 kept) vs off, tick time, ${M}`, unit: 'ms', better: 'lower', samples: 15, ours: { name: 'retention on, every tick', sample: blockOf(everyTick) }, peer: { name: 'retention off', sample: blockOf(off) } })
  .measure({ case: `retention every 10th tick (6 kept) vs off, tick time, ${M}`, unit: 'ms', better: 'lower', samples: 15, ours: { name: 'retention on, every 10th tick', sample: blockOf(everyTenth) }, peer: { name: 'retention off', sample: blockOf(off) } })
  .measure({ case: `retention every tick vs structuredClone of the columns per tick, ${M}`, unit: 'ms', better: 'lower', samples: 15, ours: { name: 'retention on, every tick', sample: blockOf(everyTick) }, peer: { name: 'engine + structuredClone(columns), 30 kept', sample: blockOf(off, cloneColumns) } })
  .measure({ case: `retention every tick vs an immutable Map world updated per tick, ${M}`, unit: 'ms', better: 'lower', samples: 3, ours: { name: 'retention on, every tick', sample: blockOf(everyTick) }, peer: { name: 'immutable 5 Map of actors, 5 versions kept', sample: immutableTick } })
  .measure({ case: `bytes retained per sealed tick, every tick, ${M}`, unit: 'bytes', better: 'lower', samples: 1, ours: { name: 'page frames held by seals / ticks', sample: () => perTick(everyTick) } })
  .run();
console.log(`retained: every tick ${JSON.stringify({ ...everyTick.retention(), ticks: everyTick.retention()?.ticks.length })}, every 10th ${JSON.stringify({ ...everyTenth.retention(), ticks: everyTenth.retention()?.ticks })}`);
await Promise.all([off.close(), everyTick.close(), everyTenth.close()]);
