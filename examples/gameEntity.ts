/**
 * The product brief's example: a million GameEntity actors at 60 Hz, each moving and emitting
 * PositionChanged every tick. Run it with `corepack pnpm start`, or
 * `corepack pnpm concurrengine run examples/gameEntity.ts --duration 10s`.
 */
import { Actor, Engine, defineEvent, field, hz, type Context, type Tick } from '@concurrengine/engine';

export const PositionChanged = defineEvent('PositionChanged', { position: 'vec3' });

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
  .spawn(GameEntity, 1_000_000, (e, i) => e.velocity.set(Math.sin(i), Math.cos(i), (i % 7) / 7 - 0.5))
  .run();
