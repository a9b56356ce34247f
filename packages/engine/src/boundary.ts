/**
 * The tick boundary: every effect the handlers left in the outboxes is applied here, on the main
 * thread, in job order — and within a job in actor order — whatever thread ran which job. That
 * order is what makes a tick's result independent of the thread count.
 */
import type { ActorRef } from '@concurrengine/actors';

import { EngineError } from './errors.js';
import type { EventHub } from './events.js';
import type { Outbox } from './outbox.js';
import { OP_DESPAWN, OP_EMIT, OP_EVENTS, OP_FAIL, OP_JOB, OP_SPAWN } from './protocol.js';
import type { World } from './world.js';

/** A handler that threw, as reported to `onHandlerError`. */
export interface HandlerErrorReport {
  readonly tick: number;
  readonly kind: string;
  readonly actor: ActorRef;
  readonly message: string;
}

interface Segment {
  readonly jobId: number;
  readonly outbox: Outbox;
  readonly start: number;
  end: number;
}

const decoder = new TextDecoder();

/** Splits the outboxes into job segments, sorted by job id. */
export function segmentsOf(outboxes: readonly Outbox[]): Segment[] {
  const segments: Segment[] = [];
  outboxes.forEach((outbox, index) => {
    if (outbox.length === 0) return;
    outbox.refresh();
    const f64 = outbox.f64;
    let current: Segment | undefined;
    for (let at = 0; at < outbox.length; ) {
      const op = f64[at];
      const length = f64[at + 1]!;
      if (!(length >= 3 && at + length <= outbox.length) || !(op! >= OP_JOB && op! <= OP_EVENTS)) {
        throw new EngineError('ENGINE_OUTBOX_CORRUPT', `outbox ${index}: record at lane ${at} has op ${op} and length ${length} (outbox length ${outbox.length})`);
      }
      if (op === OP_JOB) {
        if (current) current.end = at;
        current = { jobId: f64[at + 2]!, outbox, start: at + 3, end: 0 };
        segments.push(current);
      } else if (!current) {
        throw new EngineError('ENGINE_OUTBOX_CORRUPT', `outbox ${index}: record at lane ${at} precedes any job marker`);
      }
      at += length;
    }
    if (current) current.end = outbox.length;
  });
  return segments.sort((a, b) => a.jobId - b.jobId);
}

/** Receives every traced emit: type id and sender. */
export type EmitObserver = (typeId: number, from: number) => void;

/** Applies every effect in order; returns the handler failures of the tick. */
export function applyBoundary(outboxes: readonly Outbox[], world: World, hub: EventHub, tick: number, observe?: EmitObserver): HandlerErrorReport[] {
  const failures: HandlerErrorReport[] = [];
  hub.discard();
  for (const { outbox, start, end } of segmentsOf(outboxes)) {
    const f64 = outbox.f64;
    for (let at = start; at < end; at += f64[at + 1]!) {
      switch (f64[at]) {
        case OP_EVENTS:
          // A run of events: the subscriber's batch takes a view of it, event by event nothing.
          hub.addRun(f64[at + 2]! >>> 0, f64, at + 4, f64[at + 3]!);
          break;
        case OP_EMIT:
          if (observe) for (let p = at + 2; p < at + f64[at + 1]!; p += 2) observe(f64[p]! >>> 0, f64[p + 1]!);
          break;
        case OP_SPAWN:
          world.spawnFromLanes(f64[at + 2]!, f64, at + 4);
          break;
        case OP_DESPAWN:
          world.despawn(f64[at + 3]! as ActorRef);
          break;
        case OP_FAIL: {
          const kindId = f64[at + 2]!;
          const store = world.stores[kindId];
          const bytes = outbox.u8.subarray((at + 6) * 8, (at + 6) * 8 + f64[at + 4]!);
          failures.push({
            tick,
            kind: world.kinds[kindId]?.name ?? `#${kindId}`,
            actor: store ? (f64[at + 3]! as ActorRef) : (-1 as ActorRef),
            message: decoder.decode(bytes.slice()),
          });
          break;
        }
      }
    }
  }
  return failures;
}
