/**
 * The product brief's example: a million GameEntity actors at 60 Hz, each moving and emitting
 * PositionChanged every tick. Run it with `corepack pnpm start`, or
 * `corepack pnpm concurrengine run examples/gameEntity.ts --duration 10s`.
 *
 * The brief spawns them with default fields: every actor at the origin, at rest. Here each gets a
 * velocity, and a place in a 1000-unit world (a deterministic scatter by index), as a game server's
 * entities have: a million entities exploding out of one point is a different workload, which the
 * engine's spatial index also handles (it re-derives its world box as they spread; see the engine
 * README), but which keeps every index busy re-sorting a region a few units wide.
 */
import { Actor, Engine, defineEvent, field, hz, type Context, type Tick } from '@concurrengine/engine';

export const PositionChanged = defineEvent('PositionChanged', { position: 'vec3' });

/** A low-discrepancy scatter over [0, 1000): actor i's coordinate on the axis of step `a` (R3 sequence). */
const scatter = (i: number, a: number): number => ((0.5 + a * i) % 1) * 1000;

export class GameEntity extends Actor({ position: field.vec3(), velocity: field.vec3() }) {
  handle(_msg: Tick, ctx: Context) {
    this.position.addScaled(this.velocity, ctx.delta());
    ctx.emit(PositionChanged, this.position);
  }
}

await Engine.builder()
  .threads(2)
  .tickRate(hz(60))
  .build()
  .spawn(GameEntity, 1_000_000, (e, i) => {
    e.position.set(scatter(i, 0.754877666), scatter(i, 0.569840291), scatter(i, 0.362076361));
    e.velocity.set(Math.sin(i), Math.cos(i), (i % 7) / 7 - 0.5);
  })
  .run();
