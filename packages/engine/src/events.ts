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
  /**
   * The records, `stride` lanes each — [sender, …payload] — in emit order, as the runs the jobs
   * wrote them in: views into the engine's shared buffers, no copy (valid during the listener call
   * only). Read these in hot listeners.
   */
  readonly segments: readonly Float64Array[];
  /** The same records in one array: the only segment itself, or a copy of all of them made on first access. */
  readonly lanes: Float64Array;
  readonly stride: number;
  /** The sender of event `i`. */
  from(i: number): ActorRef;
  /** Event `i`'s payload, decoded (allocates; read `segments` in hot listeners). */
  get(i: number): Decoded<F>;
}

export type EventListener<F extends PayloadFields = PayloadFields> = (batch: EventBatch<F>) => void;

interface Subscription {
  readonly type: EventType;
  readonly listeners: Set<EventListener>;
  /** This tick's runs (views into the outboxes) and the events in them. */
  readonly runs: Float64Array[];
  count: number;
}

/** One type's events of one tick, over the runs the jobs wrote. */
class RunBatch implements EventBatch {
  private joined: Float64Array | undefined;
  /** Events before each segment (for from/get across segments). */
  private readonly before: number[] = [];

  constructor(
    readonly type: EventType,
    readonly tick: number,
    readonly segments: readonly Float64Array[],
    readonly count: number,
    readonly stride: number,
  ) {
    let n = 0;
    for (const segment of segments) {
      this.before.push(n);
      n += segment.length / stride;
    }
  }

  get lanes(): Float64Array {
    if (this.segments.length === 1) return this.segments[0]!;
    if (!this.joined) {
      const joined = new Float64Array(this.count * this.stride);
      let at = 0;
      for (const segment of this.segments) {
        joined.set(segment, at);
        at += segment.length;
      }
      this.joined = joined;
    }
    return this.joined;
  }

  from(i: number): ActorRef {
    const [segment, at] = this.locate(i);
    return segment[at]! as ActorRef;
  }

  get(i: number): Decoded<PayloadFields> {
    const [segment, at] = this.locate(i);
    return this.type.decode(segment, at + 1);
  }

  /** The segment holding event `i` and the event's first lane in it (binary search over the runs). */
  private locate(i: number): [Float64Array, number] {
    if (!(i >= 0 && i < this.count)) throw new EngineError('ENGINE_INVALID_ARGUMENT', `event index ${i} is outside the batch of ${this.count}`);
    const before = this.before;
    let lo = 0;
    let hi = before.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (before[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return [this.segments[lo]!, (i - before[lo]!) * this.stride];
  }
}

export class EventHub {
  private readonly byId = new Map<number, Subscription>();

  constructor(private readonly control: Int32Array) {}

  on<F extends PayloadFields>(type: EventType<F>, listener: EventListener<F>): () => void {
    assertRecordType(type, 'event', 'engine.on()');
    let sub = this.byId.get(type.id);
    if (!sub) {
      if (this.byId.size >= MAX_SUBSCRIBED) throw new EngineError('ENGINE_INVALID_ARGUMENT', `at most ${MAX_SUBSCRIBED} event types can have subscribers`);
      sub = { type: type as EventType, listeners: new Set(), runs: [], count: 0 };
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

  /** Takes a run of `count` events of type `typeId` at `source[from …]` (a view, not a copy); a type no one listens to any more is dropped. */
  addRun(typeId: number, source: Float64Array, from: number, count: number): void {
    const sub = this.byId.get(typeId);
    if (!sub || count <= 0) return; // unsubscribed during the tick
    sub.runs.push(source.subarray(from, from + count * (1 + sub.type.lanes)));
    sub.count += count;
  }

  /**
   * Forgets runs a tick left without a flush (it threw after its effects were applied): they are
   * views into outboxes the next tick rewrites. Called before a tick's effects are collected.
   */
  discard(): void {
    for (const sub of this.byId.values()) {
      sub.runs.length = 0;
      sub.count = 0;
    }
  }

  /** Hands each type's batch to its listeners and forgets it. A throwing listener is re-thrown in a new macrotask. */
  flush(tick: number): void {
    for (const sub of this.byId.values()) {
      if (sub.count === 0) continue;
      const batch = new RunBatch(sub.type, tick, sub.runs.slice(), sub.count, 1 + sub.type.lanes);
      for (const listener of sub.listeners) {
        try {
          listener(batch);
        } catch (error) {
          setTimeout(() => {
            throw error;
          });
        }
      }
      sub.runs.length = 0;
      sub.count = 0;
    }
  }

  private publish(): void {
    const ids = [...this.byId.keys()];
    ids.forEach((id, i) => (this.control[CTL_SUBSCRIBED + i] = id | 0));
    Atomics.store(this.control, CTL_SUBSCRIBED_COUNT, ids.length);
    Atomics.add(this.control, CTL_SUBSCRIPTION_GENERATION, 1);
  }
}
