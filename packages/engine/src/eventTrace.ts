/**
 * Which events go to the dashboard's trace. Actors whose handle has none of the mask's bits set are
 * traced: 2^k is the power of two nearest 1 / sample_rate, widened each tick until at most about
 * 1024 actors are traced (the dashboard keeps ~1024 events; at 1M actors and sample_rate 0.01
 * that is one handle in 1024, not 128). Threads read the mask from shared memory once per job, so a
 * traced emit costs a mask test, not a hash.
 */
import { recordTypeById, refHandle, type ActorRef } from '@concurrengine/actors';
import type { Telemetry } from '@concurrengine/telemetry';

import type { EmitObserver } from './boundary.js';
import { CTL_TRACE_MASK } from './protocol.js';

const TRACED_PER_TICK = 1024;

export class EventTrace {
  private readonly rateMask: number;
  private mask: number;
  /** Event type id → sampled senders of this tick. */
  private readonly senders = new Map<number, number[]>();

  constructor(
    private readonly control: Int32Array,
    sampleRate: number | undefined,
  ) {
    this.rateMask = sampleRate !== undefined && sampleRate > 0 ? 2 ** Math.max(0, Math.min(30, Math.round(Math.log2(1 / Math.min(1, sampleRate))))) - 1 : -1;
    this.mask = this.rateMask;
    Atomics.store(control, CTL_TRACE_MASK, this.mask);
    this.observe = this.rateMask < 0 ? undefined : (typeId, from) => {
      if ((refHandle(from as ActorRef) & this.mask) !== 0) return; // a subscribed event of an untraced actor
      let list = this.senders.get(typeId);
      if (!list) this.senders.set(typeId, (list = []));
      list.push(from);
    };
  }

  /** Widens the mask for this tick's population and publishes it. */
  beginTick(actors: number): void {
    if (this.rateMask < 0) return;
    let mask = this.rateMask;
    while (actors / (mask + 1) > TRACED_PER_TICK) mask = mask * 2 + 1;
    this.mask = mask;
    Atomics.store(this.control, CTL_TRACE_MASK, mask);
  }

  /** What the boundary calls with every EMIT record; undefined when tracing is off. */
  readonly observe: EmitObserver | undefined;

  /** Hands the tick's traced events to the telemetry and forgets them. */
  flush(telemetry: Telemetry | undefined, tick: number): void {
    for (const [typeId, senders] of this.senders) {
      if (senders.length === 0) continue;
      telemetry?.traceEvents(tick, recordTypeById(typeId)?.name ?? `#${typeId}`, senders);
      this.senders.set(typeId, []); // the receiver may keep the list it was given
    }
  }
}
