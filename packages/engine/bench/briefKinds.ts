/** The brief's GameEntity, in its own module so the engine's workers can import it. */
import { Actor, defineEvent, field, type Context, type Tick } from '@concurrengine/engine';

export const PositionChanged = defineEvent('PositionChanged', { position: 'vec3' });

export class GameEntity extends Actor({ position: field.vec3(), velocity: field.vec3() }) {
  handle(_msg: Tick, ctx: Context): void {
    this.position.addScaled(this.velocity, ctx.delta());
    ctx.emit(PositionChanged, this.position);
  }
}
