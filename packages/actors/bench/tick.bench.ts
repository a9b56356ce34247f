/**
 * The brief's example in one thread, without the engine: 1M GameEntity, position += velocity·dt,
 * emit PositionChanged. Ours (flyweight over paged SoA columns) against the two ways people write
 * it: a class instance per actor with a handle(msg, ctx) call each, and plain objects. All three
 * emit into the same preallocated outbox, so the difference is storage and dispatch.
 */
import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';

import { Actor, createKindRunner, defineEvent, field, KindStore, TICK, type Context, type HandlerFailure, type Tick } from '@concurrengine/actors';

const N = Number(process.env.ACTORS ?? 1_000_000);
const SEED = 42;
const DT = 1 / 60;
const PositionChanged = defineEvent('PositionChanged', { position: 'vec3' });

// One outbox of 4 float64 lanes per event (sender + x, y, z), reused every tick. With nobody
// subscribed, an emit only counts (what the engine does for an event without subscribers).
const outbox = new Float64Array(N * 4);
let written = 0;
let subscribed = true;

class GameEntity extends Actor({ position: field.vec3(), velocity: field.vec3() }) {
  handle(_tick: Tick, ctx: Context): void {
    this.position.addScaled(this.velocity, ctx.delta());
    ctx.emit(PositionChanged, this.position);
  }
}

const prng = createPrng(SEED);
const init = Array.from({ length: N }, () => [prng.range(-500, 500), prng.range(-500, 500), prng.range(-500, 500), prng.range(-1, 1), prng.range(-1, 1), prng.range(-1, 1)] as const);

// --- ours
const rssBefore = process.memoryUsage().rss;
const store = new KindStore(GameEntity, 0);
for (let i = 0; i < N; i++) {
  const v = init[i]!;
  store.spawn((e) => {
    e.position.set(v[0], v[1], v[2]);
    e.velocity.set(v[3], v[4], v[5]);
  });
}
const runner = createKindRunner(GameEntity, store);
const cursor = runner.cursor;
// What the engine's context does on emit: count when nobody subscribed, else append a record.
class BenchContext {
  tick(): number {
    return 0;
  }
  delta(): number {
    return DT;
  }
  get self(): number {
    return cursor.base + cursor.o;
  }
  emit(event: typeof PositionChanged, payload: Parameters<typeof PositionChanged.encode>[0]): void {
    if (!subscribed) {
      written += 4;
      return;
    }
    outbox[written] = cursor.base + cursor.o;
    event.encode(payload, outbox, written + 1);
    written += 4;
  }
}
const ctx = new BenchContext() as unknown as Context;
const failures: HandlerFailure[] = [];
const pages = store.usedPages;
const storeBytes = pages * GameEntity.layout.pageBytes;
console.log(`ours: ${N} actors in ${pages} pages, ${(storeBytes / N).toFixed(1)} bytes of columns per actor, RSS +${((process.memoryUsage().rss - rssBefore) / N).toFixed(1)} bytes per actor (includes the init data)`);

// --- peer (a): a class instance per actor, one handle(msg, ctx) call each
interface V3 {
  x: number;
  y: number;
  z: number;
}
class ObjectEntity {
  position: V3;
  velocity: V3;
  constructor(v: readonly number[]) {
    this.position = { x: v[0]!, y: v[1]!, z: v[2]! };
    this.velocity = { x: v[3]!, y: v[4]!, z: v[5]! };
  }
  handle(_tick: Tick, c: ObjectContext): void {
    const p = this.position;
    const v = this.velocity;
    const dt = c.delta();
    p.x += v.x * dt;
    p.y += v.y * dt;
    p.z += v.z * dt;
    c.emit(this.id, p);
  }
  id = 0;
}
interface ObjectContext {
  delta(): number;
  emit(from: number, p: V3): void;
}
const objectCtx: ObjectContext = {
  delta: () => DT,
  emit(from, p) {
    if (!subscribed) {
      written += 4;
      return;
    }
    outbox[written] = from;
    outbox[written + 1] = p.x;
    outbox[written + 2] = p.y;
    outbox[written + 3] = p.z;
    written += 4;
  },
};
const objects = init.map((v, i) => Object.assign(new ObjectEntity(v), { id: i }));

// --- peer (b): plain objects and a loop
const plain = init.map((v) => ({ position: { x: v[0], y: v[1], z: v[2] }, velocity: { x: v[3], y: v[4], z: v[5] } }));

const oursTick = (sub: boolean) => (ticks: number) => {
  subscribed = sub;
  for (let t = 0; t < ticks; t++) {
    written = 0;
    runner.runPages(0, pages, TICK, ctx, failures);
  }
  return written;
};
const objectsTick = (sub: boolean) => (ticks: number) => {
  subscribed = sub;
  for (let t = 0; t < ticks; t++) {
    written = 0;
    for (let i = 0; i < objects.length; i++) objects[i]!.handle(TICK, objectCtx);
  }
  return written;
};
const OURS = 'flyweight over SoA pages';
const CLASSES = 'class-per-actor handle(msg, ctx)';
const M = `${N / 1e6}M actors`;

await createBenchSuite({ package: 'actors', seed: SEED })
  .compare({ case: `tick 1 thread, emit unsubscribed, ${M}`, unit: 'ms/op', samples: 20, ours: { name: OURS, run: oursTick(false) }, peer: { name: CLASSES, run: objectsTick(false) } })
  .compare({ case: `tick 1 thread, emit into outbox, ${M}`, unit: 'ms/op', samples: 20, ours: { name: OURS, run: oursTick(true) }, peer: { name: CLASSES, run: objectsTick(true) } })
  .compare({
    case: `tick 1 thread, emit into outbox vs plain objects, ${M}`,
    unit: 'ms/op',
    samples: 20,
    ours: { name: OURS, run: oursTick(true) },
    peer: {
      name: 'plain objects {position, velocity}',
      run: (ticks) => {
        for (let t = 0; t < ticks; t++) {
          written = 0;
          for (let i = 0; i < plain.length; i++) {
            const e = plain[i]!;
            e.position.x += e.velocity.x * DT;
            e.position.y += e.velocity.y * DT;
            e.position.z += e.velocity.z * DT;
            outbox[written] = i;
            outbox[written + 1] = e.position.x;
            outbox[written + 2] = e.position.y;
            outbox[written + 3] = e.position.z;
            written += 4;
          }
        }
        return written;
      },
    },
  })
  .run();
if (failures.length > 0) throw new Error(`${failures.length} handler failures`);
