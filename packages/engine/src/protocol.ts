/**
 * What the main thread and the workers share: the control words, the per-thread counters, and the
 * record format of the outboxes in which handlers leave their effects for the tick boundary.
 *
 * Outbox records are float64 lanes, each record `[op, length, …]` (length counts every lane):
 * ```
 * JOB      [1, 3, jobId]                                  starts the effects of one job
 * EMIT     [2, 4 + n, typeId, from, …payload]
 * SEND     [3, 6 + n, typeId, from, to, priority, …payload]   (written into the tick plane, not the outbox)
 * SPAWN    [4, 4 + n, kindId, from, …every field lane]
 * DESPAWN  [5, 4, from, ref]
 * FAIL     [6, 6 + n, kindId, ref, byteLength, 0, …UTF-8 of the error, 8 bytes per lane]
 * ```
 */
import type { KindStoreDescriptor } from '@concurrengine/actors';

import { TIERS, type TickPlaneBuffers } from '@concurrengine/channels';

export const OP_JOB = 1;
export const OP_EMIT = 2;
export const OP_SEND = 3;
export const OP_SPAWN = 4;
export const OP_DESPAWN = 5;
export const OP_FAIL = 6;
/**
 * A run of one event type's records, written by a job as its handlers emit: [OP_EVENTS, length,
 * type id, count, then per event: sender, payload lanes]. A subscriber's batch is a list of views
 * over these runs (no per-event work on the main thread). OP_EMIT records only list traced senders.
 */
export const OP_EVENTS = 7;

/** One outbox per thread slot. */
export const MAX_THREADS = 64;
export const OUTBOXES = MAX_THREADS;

/** Int32 words of the control buffer. */
export const CTL_TICK = 0;
export const CTL_SEED = 1;
export const CTL_SUBSCRIBED_COUNT = 2;
/** Changes whenever the subscription table does, so threads re-read it only then. */
export const CTL_SUBSCRIPTION_GENERATION = 3;
/** Slots with none of these bits set are traced this tick; -1: tracing off (see createEngine). */
export const CTL_TRACE_MASK = 4;
/** Fault drills (drill.ts): handler throws per actor-tick, and worker exits per job, as parts of 2^31. */
export const CTL_DRILL_THROW = 5;
export const CTL_DRILL_EXIT = 6;
/** Outbox lengths (in lanes), one word per outbox, from this word on. */
export const CTL_OUTBOX_LENGTH = 8;
/** Ids of subscribed event types, from this word on. */
export const CTL_SUBSCRIBED = CTL_OUTBOX_LENGTH + OUTBOXES;
export const MAX_SUBSCRIBED = 256;
export const CONTROL_WORDS = CTL_SUBSCRIBED + MAX_SUBSCRIBED;

/** Float64 counters per outbox (thread), cumulative. */
export const STAT_EMITTED = 0;
export const STAT_SENT = 1;
export const STAT_RAN = 2;
export const STAT_FAILED = 3;
/** Messages whose recipient was gone when they were delivered. */
export const STAT_DEAD_LETTERS = 4;
/** Eight float64s: each thread's counters on their own 64-byte cache line. */
export const STATS_PER_THREAD = 8;

/** Message priorities as stored in SEND records, highest first: the channels package's tiers (one definition). */
export const PRIORITIES = TIERS;

/** The scheduler job kind that runs pages of one actor kind: (kindId, firstPage, endPage). */
export const RUN_PAGES_JOB = 52_736;

/** What every thread receives once, in the engine job module's `setup`. */
export interface EngineSetupData {
  readonly control: SharedArrayBuffer;
  readonly stats: SharedArrayBuffer;
  readonly outboxes: readonly SharedArrayBuffer[];
  readonly kinds: readonly { readonly kindId: number; readonly descriptor: KindStoreDescriptor }[];
  /** Modules that define the actor kinds, imported in each worker (not in the main thread). */
  readonly actorModules: readonly string[];
  readonly delta: number;
  /** The tick plane the actors' messages travel in (messageRouting.ts). */
  readonly messages: TickPlaneBuffers;
  /** The spatial strategy's thread module and its shared data, when the engine has an index (`@concurrengine/spatial`). */
  readonly spatial?: { readonly url: string; readonly data: unknown };
}
