/**
 * The brief's example: 1M GameEntity, position += velocity·dt, emit PositionChanged, one tick at
 * a time (unpaced). Ours through the whole engine (jobs on the scheduler, effects applied at the
 * boundary) against the same logic written the usual ways in one thread, in the same run.
 */
import { createBenchSuite, createPrng, percentile } from '@concurrengine/bench-harness';
import { createEngine, TICK, type Tick } from '@concurrengine/engine';

import { GameEntity, PositionChanged } from './briefKinds.js';

const N = Number(process.env.ACTORS ?? 1_000_000);
const SEED = 42;
const DT = 1 / 60;
const KINDS = new URL('./briefKinds.ts', import.meta.url).href;

const prng = createPrng(SEED);
const velocities = Float64Array.from({ length: N * 3 }, () => prng.range(-1, 1));

async function engineWith(threads: number) {
  const engine = createEngine({ threads, seed: SEED, actorModules: [KINDS] });
  engine.spawn(GameEntity, N, (e, i) => e.velocity.set(velocities[i * 3]!, velocities[i * 3 + 1]!, velocities[i * 3 + 2]!));
  await engine.step(30); // workers started, JIT warm
  return engine;
}
const timeTick = async (engine: Awaited<ReturnType<typeof engineWith>>) => {
  const start = performance.now();
  await engine.step();
  return performance.now() - start;
};
// A sample is the mean of a block of consecutive ticks, as a running engine runs them: alternating
// single ticks with the peer's would make each side start every tick on caches the other evicted.
const BLOCK = 10;
const block = (tick: () => number | Promise<number>) => async () => {
  let total = 0;
  for (let i = 0; i < BLOCK; i++) total += await tick();
  return total / BLOCK;
};

// RSS per actor: measured around building the 2-thread engine (columns + everything the engine holds).
global.gc?.();
const rssBefore = process.memoryUsage().rss;
const two = await engineWith(2);
global.gc?.();
const rssPerActor = (process.memoryUsage().rss - rssBefore) / N;
const one = await engineWith(1);

// Peer (a): a class instance per actor with a handle(msg, ctx) call each; the event goes to a
// listener array the way an object-based engine would buffer it.
interface V3 {
  x: number;
  y: number;
  z: number;
}
class ObjectEntity {
  constructor(
    readonly id: number,
    readonly position: V3,
    readonly velocity: V3,
  ) {}
  handle(_msg: Tick, ctx: ObjectContext): void {
    const dt = ctx.delta();
    this.position.x += this.velocity.x * dt;
    this.position.y += this.velocity.y * dt;
    this.position.z += this.velocity.z * dt;
    ctx.emit(this.id, this.position);
  }
}
class ObjectContext {
  emitted = 0;
  delta(): number {
    return DT;
  }
  emit(_from: number, _p: V3): void {
    this.emitted++; // nobody subscribed, as in ours
  }
}
const objectCtx = new ObjectContext();
const objects = Array.from({ length: N }, (_, i) => new ObjectEntity(i, { x: 0, y: 0, z: 0 }, { x: velocities[i * 3]!, y: velocities[i * 3 + 1]!, z: velocities[i * 3 + 2]! }));
const classTick = () => {
  const start = performance.now();
  for (let i = 0; i < objects.length; i++) objects[i]!.handle(TICK, objectCtx);
  return performance.now() - start;
};
// Peer (b): plain objects and one loop.
const plain: { position: V3; velocity: V3 }[] = [];
for (let i = 0; i < N; i++) plain.push({ position: { x: 0, y: 0, z: 0 }, velocity: { x: velocities[i * 3]!, y: velocities[i * 3 + 1]!, z: velocities[i * 3 + 2]! } });
let plainEmitted = 0;
const plainTick = () => {
  const start = performance.now();
  for (let i = 0; i < plain.length; i++) {
    const e = plain[i]!;
    e.position.x += e.velocity.x * DT;
    e.position.y += e.velocity.y * DT;
    e.position.z += e.velocity.z * DT;
    plainEmitted++;
  }
  return performance.now() - start;
};

// A subscriber to every PositionChanged (1M events a tick): it reads each event's x from the
// batch's segments — views over the runs the jobs wrote, no copy on the main thread. The peer:
// the plain loop handing the same events to a listener through one array per tick.
const subscribed = await engineWith(2);
let subscribedSum = 0;
subscribed.on(PositionChanged, (batch) => {
  for (const segment of batch.segments) for (let at = 1; at < segment.length; at += batch.stride) subscribedSum += segment[at]!;
});
await subscribed.step(5);
const plainEvents = new Float64Array(N * 4);
let plainSum = 0;
const plainSubscribedTick = () => {
  const start = performance.now();
  for (let i = 0; i < plain.length; i++) {
    const e = plain[i]!;
    e.position.x += e.velocity.x * DT;
    e.position.y += e.velocity.y * DT;
    e.position.z += e.velocity.z * DT;
    plainEvents[i * 4] = i;
    plainEvents[i * 4 + 1] = e.position.x;
    plainEvents[i * 4 + 2] = e.position.y;
    plainEvents[i * 4 + 3] = e.position.z;
  }
  for (let at = 1; at < plainEvents.length; at += 4) plainSum += plainEvents[at]!;
  return performance.now() - start;
};

const M = `${N / 1e6}M actors`;
await createBenchSuite({ package: 'engine', seed: SEED })
  .measure({ case: `brief example tick, 2 threads vs class-per-actor, ${M}`, unit: 'ms', better: 'lower', samples: 25, ours: { name: 'engine, 2 threads', sample: block(() => timeTick(two)) }, peer: { name: 'class-per-actor handle(msg, ctx), 1 thread', sample: block(classTick) } })
  .measure({ case: `brief example tick, 2 threads vs plain objects, ${M}`, unit: 'ms', better: 'lower', samples: 25, ours: { name: 'engine, 2 threads', sample: block(() => timeTick(two)) }, peer: { name: 'plain objects loop, 1 thread', sample: block(plainTick) } })
  .measure({ case: `brief example speedup 1 → 2 threads, ${M}`, unit: 'ms', better: 'lower', samples: 25, ours: { name: 'engine, 2 threads', sample: block(() => timeTick(two)) }, peer: { name: 'engine, 1 thread', sample: block(() => timeTick(one)) } })
  .measure({
    case: `brief example tick p99 over 120 ticks, 2 threads, ${M}`,
    unit: 'ms',
    better: 'lower',
    samples: 5,
    limit: 8,
    ours: {
      name: 'engine, 2 threads',
      sample: async () => {
        const ticks: number[] = [];
        for (let i = 0; i < 120; i++) ticks.push(await timeTick(two));
        return percentile(ticks, 99);
      },
    },
  })
  .measure({
    case: `brief example tick with a PositionChanged subscriber, 2 threads vs plain objects, ${M}`,
    unit: 'ms',
    better: 'lower',
    samples: 15,
    ours: { name: 'engine, 2 threads, every event to one listener', sample: block(() => timeTick(subscribed)) },
    peer: { name: 'plain objects loop + one array of events to a listener, 1 thread', sample: block(plainSubscribedTick) },
  })
  .measure({ case: `RSS per actor, 2 threads, ${M}`, unit: 'bytes', better: 'lower', samples: 1, limit: 150, ours: { name: 'engine', sample: () => rssPerActor } })
  .run();
console.log(`sinks: ${objectCtx.emitted + plainEmitted} object events, ${two.stats().eventsEmitted} engine events, subscribed sums ${subscribedSum} / ${plainSum}`);
await Promise.all([one.close(), two.close(), subscribed.close()]);
