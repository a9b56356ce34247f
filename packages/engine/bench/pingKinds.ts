/** Actors that send one Ping to a partner every tick and count the pings they receive. */
import { Actor, defineMessage, field, type ActorRef, type Context, type Tick } from '@concurrengine/engine';

export const Ping = defineMessage('Ping', { n: 'f64' });

export class Pinger extends Actor({ partner: field.ref(), received: field.f64() }) {
  handle(message: Tick | { type: typeof Ping; n: number }, ctx: Context): void {
    if (message.type === Ping) {
      this.received += 1;
      return;
    }
    ctx.send(this.partner as ActorRef, Ping, { n: 1 });
  }
}
