/**
 * What a handler may do. A handler writes only its own actor (through `this`); everything else it
 * does goes through the `Context` and takes effect at the tick boundary, in an order that does not
 * depend on which thread ran it. The engine implements this interface; `createRecordingContext`
 * (./testing) is a single-thread implementation for tests.
 */
import type { Schema } from './fields.js';
import type { ActorInstance, ActorKind } from './actorClass.js';
import type { EventType, MessageType, Payload, PayloadFields } from './records.js';
import type { ActorRef } from './ref.js';

/** The message every actor receives once per tick. */
export interface Tick {
  readonly type: 'tick';
}
export const TICK: Tick = Object.freeze({ type: 'tick' });

/** Delivery priority of a message (the channel tiers). */
export type Priority = 'critical' | 'high' | 'normal' | 'low';

export interface Context {
  /** The current tick number (0 for the first tick). */
  tick(): number;
  /** The fixed step in seconds (1 / tick rate), never the wall clock. */
  delta(): number;
  /** The ref of the actor being run. */
  readonly self: ActorRef;
  /** Publishes an event to the engine's subscribers (batched per tick; free when nobody listens). */
  emit<F extends PayloadFields>(event: EventType<F>, payload: Payload<F>): void;
  /** Sends a message, delivered at the start of the next tick. */
  send<F extends PayloadFields>(to: ActorRef, message: MessageType<F>, payload: Payload<F>, options?: { readonly priority?: Priority }): void;
  /** Spawns an actor at the boundary; `init` runs then, on the new actor. */
  spawn<I extends ActorInstance>(kind: ActorKind<Schema, I>, init?: (actor: I) => void): void;
  /** Despawns an actor (itself by default) at the boundary. */
  despawn(ref?: ActorRef): void;
  /** A float in [0, 1) from the stream seeded by (world seed, actor, tick). */
  random(): number;
  /**
   * Refs of actors within `radius` of `center`, as positions stood at the end of the previous
   * tick, written into `out` (cleared first). Returns the count.
   */
  neighbours(center: { readonly x: number; readonly y: number; readonly z: number }, radius: number, out: ActorRef[]): number;
}

/** A kind's handler for the ticks (and, when a kind declares messages, for those too). */
export interface Handler<M = Tick> {
  handle(message: M, ctx: Context): void;
}
