/**
 * Event subscriptions and per-tick batches. Subscribing writes the type's id into the shared
 * table, so worker threads start writing that type's records; a type with no subscriber is only
 * counted where it is emitted. Listeners get one batch per type per tick, in emit order.
 */
import { assertRecordType, type ActorRef, type Decoded, type EventType, type PayloadFields } from '@concurrengine/actors';

import { EngineError } from './errors.js';
import { CTL_SUBSCRIBED, CTL_SUBSCRIBED_COUNT, CTL_SUBSCRIPTION_GENERATION, MAX_SUBSCRIBED } from './protocol.js';

/** All events of one type emitted in one tick. */
export interface EventBatch<F extends PayloadFields = PayloadFields> {
  readonly type: EventType<F>;
  readonly tick: number;
  readonly count: number;
  /** Raw records, `stride` lanes each: [sender, …payload]. Valid during the listener call only. */
  readonly lanes: Float64Array;
  readonly stride: number;
  /** The sender of event `i`. */
  from(i: number): ActorRef;
  /** Event `i`'s payload, decoded (allocates; read `lanes` in hot listeners). */
  get(i: number): Decoded<F>;
}

export type EventListener<F extends PayloadFields = PayloadFields> = (batch: EventBatch<F>) => void;

interface Subscription {
  readonly type: EventType;
  readonly listeners: Set<EventListener>;
  lanes: Float64Array;
  used: number;
}

export class EventHub {
  private readonly byId = new Map<number, Subscription>();

  constructor(private readonly control: Int32Array) {}

  on<F extends PayloadFields>(type: EventType<F>, listener: EventListener<F>): () => void {
    assertRecordType(type, 'event', 'engine.on()');
    let sub = this.byId.get(type.id);
    if (!sub) {
      if (this.byId.size >= MAX_SUBSCRIBED) throw new EngineError('ENGINE_INVALID_ARGUMENT', `at most ${MAX_SUBSCRIBED} event types can have subscribers`);
      sub = { type: type as EventType, listeners: new Set(), lanes: new Float64Array(1024), used: 0 };
      this.byId.set(type.id, sub);
      this.publish();
    }
    sub.listeners.add(listener as EventListener);
    return () => {
      sub.listeners.delete(listener as EventListener);
      if (sub.listeners.size === 0) {
        this.byId.delete(type.id);
        this.publish();
      }
    };
  }

  /** Appends one record (sender + payload lanes) from an outbox; events of unknown types are dropped. */
  collect(typeId: number, source: Float64Array, from: number, payloadAt: number): void {
    const sub = this.byId.get(typeId);
    if (!sub) return; // unsubscribed during the tick
    const stride = 1 + sub.type.lanes;
    if (sub.used + stride > sub.lanes.length) {
      const grown = new Float64Array(Math.max(sub.lanes.length * 2, sub.used + stride));
      grown.set(sub.lanes.subarray(0, sub.used));
      sub.lanes = grown;
    }
    const lanes = sub.lanes;
    const base = sub.used + 1 - payloadAt;
    lanes[sub.used] = from;
    for (let i = payloadAt; i < payloadAt + stride - 1; i++) lanes[base + i] = source[i]!; // no subarray view per event
    sub.used += stride;
  }

  /** Hands each type's batch to its listeners and empties it. A throwing listener is re-thrown in a new macrotask. */
  flush(tick: number): void {
    for (const sub of this.byId.values()) {
      if (sub.used === 0) continue;
      const stride = 1 + sub.type.lanes;
      const lanes = sub.lanes.subarray(0, sub.used);
      const type = sub.type;
      const batch: EventBatch = {
        type,
        tick,
        count: sub.used / stride,
        lanes,
        stride,
        from: (i) => lanes[i * stride]! as ActorRef,
        get: (i) => type.decode(lanes, i * stride + 1),
      };
      for (const listener of sub.listeners) {
        try {
          listener(batch);
        } catch (error) {
          setTimeout(() => {
            throw error;
          });
        }
      }
      sub.used = 0;
    }
  }

  private publish(): void {
    const ids = [...this.byId.keys()];
    ids.forEach((id, i) => (this.control[CTL_SUBSCRIBED + i] = id | 0));
    Atomics.store(this.control, CTL_SUBSCRIBED_COUNT, ids.length);
    Atomics.add(this.control, CTL_SUBSCRIPTION_GENERATION, 1);
  }
}
