/**
 * What supervision costs in the engine, on the brief's example (1M GameEntity, 2 threads):
 * tick time with supervision on and nothing failing vs off (goal ≤ 1 %), the cost of one restart
 * at the boundary (1,000 drilled failures a tick, amortised; goal ≤ 10 µs), and the memory the
 * restart state takes per actor (goal ≤ 16 bytes) vs one object per supervised actor.
 */
import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';
import { createEngine, type Engine, type SupervisionOptions } from '@concurrengine/engine';
import { ActorSupervisionGroup } from '@concurrengine/supervisor';

import { GameEntity } from './briefKinds.js';

const N = Number(process.env.ACTORS ?? 1_000_000);
const SEED = 42;
const KINDS = new URL('./briefKinds.ts', import.meta.url).href;
const BLOCK = 10;
const FAILURES_PER_TICK = 1000;

const supervision: SupervisionOptions = {
  policy: { restart: 'permanent', backoff: { kind: 'none' }, maxRestarts: 1_000_000, within: 1 },
};
const prng = createPrng(SEED);
const velocities = Float64Array.from({ length: N * 3 }, () => prng.range(-1, 1));

async function engineWith(supervised: boolean): Promise<Engine> {
  const engine = createEngine({ threads: 2, seed: SEED, actorModules: [KINDS], ...(supervised ? { supervision } : {}) });
  engine.spawn(GameEntity, N, (e, i) => e.velocity.set(velocities[i * 3]!, velocities[i * 3 + 1]!, velocities[i * 3 + 2]!));
  await engine.step(30);
  return engine;
}
const blockOf = (engine: Engine) => async () => {
  const start = performance.now();
  for (let i = 0; i < BLOCK; i++) await engine.step();
  return (performance.now() - start) / BLOCK;
};

const off = await engineWith(false);
const on = await engineWith(true);
const drilled = await engineWith(true);
drilled.drill({ handlerThrowRate: FAILURES_PER_TICK / N });

// Memory of the restart state: the engine's groups are ActorSupervisionGroups of the kind's size;
// the peer keeps one object per supervised actor, as a tree of child specs would.
global.gc?.();
let before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const group = new ActorSupervisionGroup({ capacity: N, policy: supervision.policy });
for (let s = 0; s < N; s += 997) group.recordFailure(s, 1); // touch it, as failures would
global.gc?.();
const groupBytes = (process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - before) / N;
before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const objects = Array.from({ length: N }, () => ({ until: 0, windowStart: 0, count: 0, exponent: 0 }));
global.gc?.();
const objectBytes = (process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - before) / N;

const M = `${N / 1e6}M actors`;
await createBenchSuite({ package: 'engine', seed: SEED })
  .measure({ case: `supervision on (nothing fails) vs off, tick time, ${M}`, unit: 'ms', better: 'lower', samples: 21, ours: { name: 'supervised', sample: blockOf(on) }, peer: { name: 'unsupervised', sample: blockOf(off) } })
  .measure({
    case: `restart latency of one actor (decision + restart in place), ${FAILURES_PER_TICK} failures a tick, ${M}`,
    unit: 'µs',
    better: 'lower',
    samples: 11,
    limit: 10,
    ours: {
      name: 'supervision time at the boundary / restarts',
      sample: async () => {
        const before = drilled.stats().supervision!;
        await blockOf(drilled)();
        const after = drilled.stats().supervision!;
        return ((after.restartMs - before.restartMs) * 1000) / (after.restarts - before.restarts);
      },
    },
  })
  .measure({
    case: `whole cost of one failure (throw, report, restart), ${FAILURES_PER_TICK} failures a tick, ${M}`,
    unit: 'µs',
    better: 'lower',
    samples: 11,
    ours: {
      name: '(tick with failures − tick without) / failures',
      sample: async () => {
        const failing = await blockOf(drilled)();
        const clean = await blockOf(on)();
        return ((failing - clean) * 1000) / FAILURES_PER_TICK;
      },
    },
  })
  .measure({ case: `supervision state per actor, ${M}`, unit: 'bytes', better: 'lower', samples: 1, ours: { name: 'ActorSupervisionGroup (typed arrays)', sample: () => groupBytes }, peer: { name: 'one object per actor', sample: () => objectBytes } })
  .run();
console.log(`restarts in the drilled engine: ${JSON.stringify(drilled.stats().supervision)}; objects kept: ${objects.length}, group capacity ${group.capacity}`);
await Promise.all([off.close(), on.close(), drilled.close()]);
