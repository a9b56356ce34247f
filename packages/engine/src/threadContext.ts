/**
 * The engine's `Context`: what a handler may do besides writing its own actor. One instance per
 * (thread, kind) — a class, with a fixed shape, because the handler's every call goes through it
 * (an object literal with a getter measured 2× slower per tick, see actors' README). Effects are
 * appended to this thread's outbox and applied at the tick boundary in job order.
 */
import {
  assertRecordType,
  createActorRandom,
  describeValue,
  isActorRef,
  isRecordType,
  KindStore,
  makeRef,
  type ActorInstance,
  type ActorKind,
  type ActorRef,
  type Context,
  type Cursor,
  type EventType,
  type MessageType,
  type Payload,
  type PayloadFields,
  type Priority,
  type Schema,
} from '@concurrengine/actors';

import type { LaneProducer } from '@concurrengine/channels';
import type { NeighbourIndex } from '@concurrengine/spatial';

import { EngineError } from './errors.js';
import type { Outbox } from './outbox.js';
import { OP_DESPAWN, OP_EMIT, OP_EVENTS, OP_SEND, OP_SPAWN, PRIORITIES, STAT_EMITTED, STAT_SENT } from './protocol.js';

const NORMAL_TIER = PRIORITIES.indexOf('normal');
import type { ThreadShared } from './threadShared.js';

export class ThreadContext implements Context {
  private readonly random_ = createActorRandom();
  private randomSlot = -1;
  private randomTick = -1;
  private currentTick = 0;
  /** Counted here and published once per job: a shared counter per emit would bounce its cache line between cores. */
  emitted = 0;
  sent = 0;
  /**
   * The OP_EVENTS run the last subscribed emit wrote: its header's lane, its type, and where it
   * ends. An emit of the same type right after it (nothing else written since) extends it.
   */
  private runAt = -1;
  private runType = -1;
  private runEnd = -1;
  /** Traced senders of this job, as (type id, sender) pairs: one OP_EMIT record at the job's end. */
  private readonly traced: number[] = [];

  constructor(
    private readonly shared: ThreadShared,
    private readonly outbox: Outbox,
    /** Sends go straight into the tick plane's lane of this outbox index (routed at the job's end). */
    private readonly lane: LaneProducer,
    private readonly statsBase: number,
    private readonly kindId: number,
    private readonly store: KindStore,
    private readonly cursor: Cursor,
  ) {}

  /** Called before each job: the tick is read once, not per actor. */
  beginJob(tick: number): void {
    this.currentTick = tick;
    this.randomSlot = -1;
    this.runType = -1;
    this.traced.length = 0;
  }

  /** Writes the job's traced senders (one OP_EMIT record), before the job's outbox is closed. */
  flushTraced(): void {
    const traced = this.traced;
    if (traced.length === 0) return;
    const at = this.outbox.reserve(2 + traced.length);
    const out = this.outbox.f64;
    out[at] = OP_EMIT;
    out[at + 1] = 2 + traced.length;
    for (let i = 0; i < traced.length; i++) out[at + 2 + i] = traced[i]!;
    traced.length = 0;
  }

  /** Publishes the job's counts into this thread's counters. */
  endJob(): void {
    const stats = this.shared.stats;
    stats[this.statsBase + STAT_EMITTED]! += this.emitted;
    stats[this.statsBase + STAT_SENT]! += this.sent;
    this.emitted = 0;
    this.sent = 0;
  }

  tick(): number {
    return this.currentTick;
  }

  delta(): number {
    return this.shared.delta;
  }

  get self(): ActorRef {
    const page = this.store.page(this.cursor.page);
    return makeRef(this.kindId, page.handle[this.cursor.o]!, page.generation[this.cursor.o]!);
  }

  emit<F extends PayloadFields>(event: EventType<F>, payload: Payload<F>): void {
    this.emitted++;
    const subscribed = this.shared.isSubscribed(event);
    // The few actors traced for the dashboard: one handle in 2^k, a mask test instead of a hash.
    const mask = this.shared.traceMask;
    const traced = mask >= 0 && (this.store.page(this.cursor.page).handle[this.cursor.o]! & mask) === 0;
    // Nobody listening and not traced: counting it is all an emit costs.
    if (!subscribed && !traced) return;
    // Only a type defineEvent() returned may write a record, whose lanes the boundary reads by its
    // id (a look-alike's `lanes` and `encode` could break the outbox).
    if (!isRecordType(event, 'event')) assertRecordType(event, 'event', 'ctx.emit()');
    if (subscribed) this.appendEvent(event, payload);
    if (traced) this.traced.push(event.id, this.self);
  }

  /** Appends one event to the job's current run of its type, or starts a run. */
  private appendEvent<F extends PayloadFields>(event: EventType<F>, payload: Payload<F>): void {
    const outbox = this.outbox;
    const stride = 1 + event.lanes;
    const extend = this.runType === event.id && outbox.length === this.runEnd;
    const header = extend ? this.runAt : outbox.length;
    const at = outbox.reserve(extend ? stride : 4 + stride) + (extend ? 0 : 4);
    const out = outbox.f64;
    out[at] = this.self;
    // A bad payload throws before the event counts (the length is rolled back).
    try {
      event.encode(payload, out, at + 1);
    } catch (error) {
      outbox.length = extend ? at : header;
      throw error;
    }
    if (extend) {
      out[header + 1]! += stride;
      out[header + 3]! += 1;
    } else {
      out[header] = OP_EVENTS;
      out[header + 1] = 4 + stride;
      out[header + 2] = event.id;
      out[header + 3] = 1;
      this.runAt = header;
      this.runType = event.id;
    }
    this.runEnd = outbox.length;
  }

  send<F extends PayloadFields>(to: ActorRef, message: MessageType<F>, payload: Payload<F>, options?: { readonly priority?: Priority }): void {
    if (!isRecordType(message, 'message')) assertRecordType(message, 'message', 'ctx.send()');
    if (!isActorRef(to)) throw new EngineError('ENGINE_INVALID_ARGUMENT', `ctx.send(${describeValue(to)}, ${message.name}): the recipient is not an actor ref`);
    // No options: the normal tier without a search (the common send).
    const priority = options === undefined ? NORMAL_TIER : PRIORITIES.indexOf(options.priority ?? 'normal');
    if (priority < 0) throw new EngineError('ENGINE_INVALID_ARGUMENT', `ctx.send(…, ${message.name}): priority ${describeValue(options?.priority)} is not one of ${PRIORITIES.join(', ')}`);
    const lane = this.lane;
    const at = lane.reserve(6 + message.lanes);
    const out = lane.records;
    out[at] = OP_SEND;
    out[at + 1] = 6 + message.lanes;
    out[at + 2] = message.id;
    out[at + 3] = this.self;
    out[at + 4] = to;
    out[at + 5] = priority;
    // Encode last: a bad payload throws before the record counts (the length is rolled back).
    try {
      message.encode(payload, out, at + 6);
    } catch (error) {
      lane.length = at;
      throw error;
    }
    this.sent++;
  }

  spawn<I extends ActorInstance>(kind: ActorKind<Schema, I>, init?: (actor: I) => void): void {
    const kindId = this.shared.kindIdOf(kind);
    const lanes = this.shared.spawnLanes(kindId, init as ((actor: ActorInstance) => void) | undefined);
    const at = this.outbox.reserve(4 + lanes.length);
    const out = this.outbox.f64;
    out[at] = OP_SPAWN;
    out[at + 1] = 4 + lanes.length;
    out[at + 2] = kindId;
    out[at + 3] = this.self;
    out.set(lanes, at + 4);
  }

  despawn(ref?: ActorRef): void {
    const target = ref ?? this.self;
    if (!isActorRef(target)) throw new EngineError('ENGINE_INVALID_ARGUMENT', `despawn(${describeValue(ref)}): not an actor ref`);
    const at = this.outbox.reserve(4);
    const out = this.outbox.f64;
    out[at] = OP_DESPAWN;
    out[at + 1] = 4;
    out[at + 2] = this.self;
    out[at + 3] = target;
  }

  random(): number {
    const slot = this.cursor.base + this.cursor.o;
    if (slot !== this.randomSlot || this.randomTick !== this.currentTick) {
      this.random_.reset(this.shared.seed, this.self, this.currentTick);
      this.randomSlot = slot;
      this.randomTick = this.currentTick;
    }
    return this.random_.next();
  }

  neighbours(center: { readonly x: number; readonly y: number; readonly z: number }, radius: number, out: ActorRef[]): number {
    const index = this.shared.neighbourIndex;
    if (!index) throw new EngineError('ENGINE_NO_SPATIAL_INDEX', 'ctx.neighbours() needs the spatial index: enable it with Engine.builder().spatial({ cellSize })');
    return index.query(center, radius, out);
  }
}
