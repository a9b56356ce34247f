/**
 * A single-thread `Context` that records what handlers do, for testing kinds without an engine:
 * run a kind with `createKindRunner`, then look at `emitted`, `sent`, `spawned` and `despawned`.
 */
import type { Schema } from './fields.js';
import type { ActorInstance, ActorKind } from './actorClass.js';
import type { Context, Priority } from './context.js';
import type { Cursor } from './cursor.js';
import type { KindStore } from './kindStore.js';
import { createActorRandom } from './random.js';
import { assertRecordType, type EventType, type MessageType, type Payload, type PayloadFields, type RecordType } from './records.js';
import type { ActorRef } from './ref.js';

export interface RecordedEffect {
  readonly from: ActorRef;
  readonly type: RecordType;
  readonly payload: Record<string, unknown>;
}

export interface RecordingContext extends Context {
  readonly emitted: RecordedEffect[];
  readonly sent: Array<RecordedEffect & { readonly to: ActorRef; readonly priority: Priority }>;
  readonly spawned: Array<{ readonly from: ActorRef; readonly kind: string }>;
  readonly despawned: Array<{ readonly from: ActorRef; readonly ref: ActorRef }>;
  /** Advances the tick counter (the engine does this at the boundary). */
  advance(): void;
}

export interface RecordingContextOptions {
  readonly store: KindStore;
  readonly cursor: Cursor;
  readonly seed?: number;
  readonly delta?: number;
  /** Answers `neighbours()`; defaults to none. */
  readonly neighbours?: Context['neighbours'];
}

export function createRecordingContext(options: RecordingContextOptions): RecordingContext {
  const { store, cursor } = options;
  const seed = options.seed ?? 1;
  const delta = options.delta ?? 1 / 60;
  const random = createActorRandom();
  const scratch = new Float64Array(64);
  let tick = 0;
  let randomFor = -1;
  const self = () => store.refAt(cursor.base + cursor.o);
  const record = <F extends PayloadFields>(type: RecordType<F>, payload: Payload<F>) => {
    type.encode(payload, scratch, 0);
    return type.decode(scratch, 0) as Record<string, unknown>;
  };
  const ctx: RecordingContext = {
    emitted: [],
    sent: [],
    spawned: [],
    despawned: [],
    advance: () => void tick++,
    tick: () => tick,
    delta: () => delta,
    get self() {
      return self();
    },
    emit<F extends PayloadFields>(event: EventType<F>, payload: Payload<F>) {
      assertRecordType(event, 'event', 'ctx.emit()');
      ctx.emitted.push({ from: self(), type: event, payload: record(event, payload) });
    },
    send<F extends PayloadFields>(to: ActorRef, message: MessageType<F>, payload: Payload<F>, opts?: { readonly priority?: Priority }) {
      assertRecordType(message, 'message', 'ctx.send()');
      ctx.sent.push({ from: self(), to, type: message, payload: record(message, payload), priority: opts?.priority ?? 'normal' });
    },
    spawn<I extends ActorInstance>(kind: ActorKind<Schema, I>) {
      ctx.spawned.push({ from: self(), kind: kind.name });
    },
    despawn(ref?: ActorRef) {
      ctx.despawned.push({ from: self(), ref: ref ?? self() });
    },
    random() {
      const slot = cursor.base + cursor.o;
      if (randomFor !== slot) {
        random.reset(seed, self(), tick);
        randomFor = slot;
      }
      return random.next();
    },
    neighbours: options.neighbours ?? ((_center, _radius, out) => ((out.length = 0), 0)),
  };
  return ctx;
}
