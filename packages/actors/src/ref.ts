/**
 * Actor references: one float64 that packs (generation, kind id, handle) exactly, so a ref fits in
 * a column, a message record or a snapshot, and a ref to a despawned actor is recognisably stale
 * (its handle's generation moved on). A handle names an actor for its whole life; the store maps
 * it to the slot the actor occupies now (handleTable.ts), so actors may move between slots.
 *
 *   ref = (generation × 256 + kindId) × 2^24 + handle    generation < 2^16, kindId < 256, handle < 2^24
 */
import { ActorError } from './errors.js';

/** A stable identifier of one actor, valid until it is despawned. */
export type ActorRef = number & { readonly __actorRef?: never };

/** The ref of no actor (the initial value of `field.ref()`). */
export const NO_ACTOR = -1 as ActorRef;

export const MAX_SLOTS = 1 << 24;
export const MAX_KINDS = 256;
export const MAX_GENERATION = 1 << 16;

const SLOT_SPAN = 2 ** 24;

export function makeRef(kindId: number, handle: number, generation: number): ActorRef {
  return ((generation * MAX_KINDS + kindId) * SLOT_SPAN + handle) as ActorRef;
}

/** The actor's handle: unique within its kind among live actors, unchanged when the actor moves. */
export function refHandle(ref: ActorRef): number {
  return ref % SLOT_SPAN;
}

/**
 * @deprecated The handle, which equals the actor's slot only until its store moves actors
 * (`KindStore.reorder`): use `refHandle`, or `KindStore.slotOf(ref)` for the slot.
 */
export const refSlot = refHandle;

export function refKind(ref: ActorRef): number {
  return Math.floor(ref / SLOT_SPAN) % MAX_KINDS;
}

export function refGeneration(ref: ActorRef): number {
  return Math.floor(ref / (SLOT_SPAN * MAX_KINDS));
}

/** Whether `value` is shaped like a ref (a non-negative integer in range); says nothing of liveness. */
export function isActorRef(value: unknown): value is ActorRef {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < SLOT_SPAN * MAX_KINDS * MAX_GENERATION;
}

/** Throws `ACTOR_REF_INVALID` unless `value` is shaped like a ref. */
export function assertRef(value: unknown, where: string): asserts value is ActorRef {
  if (!isActorRef(value)) throw new ActorError('ACTOR_REF_INVALID', `${where}: ${String(value)} is not an actor ref`);
}
