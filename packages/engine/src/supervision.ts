/**
 * Supervision of actors: a handler that throws is handed to its kind's supervision group
 * (`@concurrengine/supervisor`, restart state in typed arrays), which decides — restart in place,
 * suspended for a backoff counted in ticks; remove (a temporary actor); or escalate. The
 * isolation boundary says what a restart covers: the actor, its page (the unit of work stealing,
 * "partition"), or the whole job it ran in on one thread ("worker"; the real cut depends on the
 * thread count, a restart set must not). An actor that exceeds its restart
 * intensity escalates to its group, which restarts every actor of the kind; a group that exceeds
 * its own intensity escalates to the engine, which fails (`recover()` then).
 *
 * Decisions are taken at the tick boundary, in job order, from the tick number: the same for any
 * thread count, and sealed with each tick so a rewind replays them exactly. Nothing here runs
 * for a tick in which nothing failed, except one map lookup for actors due back.
 */
import { refHandle, refKind, type ActorRef, type KindSeal } from '@concurrengine/actors';
import { ActorSupervisionGroup, type ActorGroupPolicy, type GroupState, type Intensity } from '@concurrengine/supervisor';

import type { HandlerErrorReport } from './boundary.js';
import { EngineError } from './errors.js';
import type { World } from './world.js';

export type Isolation = 'actor' | 'partition' | 'worker';

export interface SupervisionOptions {
  /** Restart type, backoff (in ticks) and intensity of every actor. */
  readonly policy: ActorGroupPolicy;
  /** What one failure restarts: the actor (default), its page, or every actor of its one-thread job. */
  readonly isolation?: Isolation;
  /** A restarted actor's fields: the schema's initial values (default), or its values at the last sealed tick (needs retention). */
  readonly restartFrom?: 'initial' | 'last-sealed';
  /** Restarts of a whole kind: more than this escalates to the engine (it fails). */
  readonly groupIntensity?: Intensity;
}

export interface SupervisionCounters {
  readonly restarts: number;
  readonly suspended: number;
  readonly removed: number;
  readonly groupRestarts: number;
  readonly escalations: number;
  /** Time spent deciding and restarting at the boundary, in ms (divide by restarts for the latency of one). */
  readonly restartMs: number;
}

/** What a sealed tick keeps of supervision. */
export interface SupervisionSeal {
  readonly groups: readonly GroupState[];
  readonly due: ReadonlyMap<number, readonly number[]>;
  readonly groupRestartTicks: readonly (readonly number[])[];
  readonly counters: SupervisionCounters;
}

/** Supervision as a stored tick carries it (JSON-safe): each kind's group as base64 bytes. */
export interface StoredSupervision {
  readonly groups: readonly (string | null)[];
  readonly due: readonly (readonly [number, readonly number[]])[];
  readonly groupRestartTicks: readonly (readonly number[])[];
  readonly counters: SupervisionCounters;
}

/** Where a failed handler ran: its one-thread job's page range (for `isolation = "worker"`). */
export type JobRangeOf = (kindId: number, slot: number) => readonly [first: number, end: number] | undefined;

export class EngineSupervision {
  private readonly groups: ActorSupervisionGroup[] = [];
  /** Tick → refs (as numbers) that come back then. */
  private due = new Map<number, number[]>();
  /** Ticks at which each kind's group was restarted (within the policy's window). */
  private groupRestartTicks: number[][] = [];
  private counters = { restarts: 0, suspended: 0, removed: 0, groupRestarts: 0, escalations: 0, restartMs: 0 };

  constructor(
    private readonly world: World,
    private readonly options: SupervisionOptions,
    private readonly seed: number,
  ) {
    // Constructing one group up front turns a bad policy into a typed error at build time.
    new ActorSupervisionGroup({ capacity: 1, policy: options.policy, ...(options.groupIntensity ? { groupIntensity: options.groupIntensity } : {}) });
  }

  /** Start of a tick: suspended actors whose backoff ended run again. */
  resumeDue(tick: number): void {
    const back = this.due.get(tick);
    if (!back) return;
    this.due.delete(tick);
    for (const ref of back) {
      const store = this.world.storeOf(ref as ActorRef);
      const slot = store ? store.slotOf(ref as ActorRef) : -1;
      if (slot >= 0) store!.resume(slot);
    }
  }

  /**
   * The boundary of tick `tick`: each failure, in job order, gets its group's decision. Throws
   * `ENGINE_SUPERVISION_ESCALATED` when a group gives up (the engine fails).
   */
  apply(failures: readonly HandlerErrorReport[], tick: number, lastSealed: readonly KindSeal[] | undefined, jobRange: JobRangeOf): void {
    const began = performance.now();
    try {
      this.decide(failures, tick, lastSealed, jobRange);
    } finally {
      this.counters.restartMs += performance.now() - began;
    }
  }

  private decide(failures: readonly HandlerErrorReport[], tick: number, lastSealed: readonly KindSeal[] | undefined, jobRange: JobRangeOf): void {
    for (const failure of failures) {
      const ref = failure.actor;
      if ((ref as number) < 0) continue; // a job, not an actor
      const kindId = refKind(ref);
      const store = this.world.stores[kindId];
      if (!store || !store.isAlive(ref)) continue; // despawned by the same tick's effects
      // Restart state is kept by handle (it stays with the actor when the store reorders); jobs and pages by slot.
      const slot = store.slotOf(ref);
      const group = this.group(kindId);
      const decision = group.recordFailure(refHandle(ref), tick);
      const seal = this.options.restartFrom === 'last-sealed' ? lastSealed?.[kindId] : undefined;
      if (decision.action === 'remove') {
        this.world.despawn(ref);
        this.counters.removed++;
      } else if (decision.action === 'restart') {
        for (const target of this.targets(kindId, slot, jobRange)) this.restart(kindId, target, decision.at, tick, seal);
      } else if (decision.scope === 'actor') {
        // The actor outran its intensity: its supervisor gives up, and the engine (its parent)
        // restarts the kind's whole group — within the same intensity, or the engine fails.
        this.counters.escalations++;
        this.restartGroup(kindId, tick, seal, failure);
      } else {
        this.escalate(failure, decision.reason);
      }
    }
  }

  seal(): SupervisionSeal {
    return {
      groups: this.groups.map((g) => g.save()),
      due: new Map([...this.due].map(([t, refs]) => [t, [...refs]])),
      groupRestartTicks: this.groupRestartTicks.map((ticks) => [...ticks]),
      counters: { ...this.counters },
    };
  }

  restore(seal: SupervisionSeal): void {
    seal.groups.forEach((state, kindId) => this.group(kindId).restore(state));
    // A group made after the seal has no history there: it starts over.
    this.groups.length = Math.min(this.groups.length, seal.groups.length);
    this.due = new Map([...seal.due].map(([t, refs]) => [t, [...refs]]));
    this.groupRestartTicks = seal.groupRestartTicks.map((ticks) => [...ticks]);
    this.counters = { ...seal.counters };
  }

  /** Seals older than `oldest` will not be restored: the groups drop what only they needed. */
  trimBefore(oldest: SupervisionSeal): void {
    oldest.groups.forEach((state, kindId) => this.groups[kindId]?.trimBefore(state));
  }

  /** A new actor took `handle`: the restart history of the one before is not its. */
  forget(kindId: number, handle: number): void {
    const group = this.groups[kindId];
    if (group && handle < group.capacity) group.reset(handle);
  }

  /** For a stored tick: the groups' restart state (only actors with a history), backoffs due, counters. */
  toStored(): StoredSupervision {
    return {
      groups: Array.from({ length: this.world.stores.length }, (_, kindId) => {
        const group = this.groups[kindId];
        return group ? Buffer.from(group.toBytes()).toString('base64') : null;
      }),
      due: [...this.due].map(([t, refs]) => [t, [...refs]] as const),
      groupRestartTicks: this.groupRestartTicks.map((ticks) => [...(ticks ?? [])]),
      counters: { ...this.counters },
    };
  }

  /** Puts a stored tick's supervision state back (a restore from disk). */
  loadStored(stored: StoredSupervision): void {
    stored.groups.forEach((bytes, kindId) => {
      if (bytes === null) return;
      this.group(kindId).loadBytes(new Uint8Array(Buffer.from(bytes, 'base64')));
    });
    this.due = new Map(stored.due.map(([t, refs]) => [t, [...refs]]));
    // null: a kind whose group never restarted (toStored writes its hole as null).
    this.groupRestartTicks = stored.groupRestartTicks.map((ticks) => [...(ticks ?? [])]);
    this.counters = { ...stored.counters };
  }

  private restartGroup(kindId: number, tick: number, seal: KindSeal | undefined, failure: HandlerErrorReport): void {
    const { maxRestarts, within } = this.options.policy;
    const recent = (this.groupRestartTicks[kindId] ?? []).filter((t) => tick - t <= within);
    recent.push(tick);
    this.groupRestartTicks[kindId] = recent;
    if (recent.length > maxRestarts) this.escalate(failure, `the ${failure.kind} group was restarted ${recent.length} times within ${within} ticks (max_restarts ${maxRestarts})`);
    this.counters.groupRestarts++;
    const store = this.world.stores[kindId]!;
    for (let s = 0; s < store.highWater; s++) {
      if (store.isSuspended(s)) store.resume(s);
      if (store.isAlive(store.refAt(s))) store.restartSlot(s, seal);
    }
    this.counters.restarts += store.liveCount;
    // A fresh group: every actor's history starts over.
    const group = this.groups[kindId]!;
    for (let s = 0; s < group.capacity; s++) group.reset(s);
    group.resetGroup();
    for (const [t, refs] of this.due) {
      const kept = refs.filter((ref) => refKind(ref as ActorRef) !== kindId);
      if (kept.length > 0) this.due.set(t, kept);
      else this.due.delete(t);
    }
  }

  stats(): SupervisionCounters {
    return { ...this.counters };
  }

  private restart(kindId: number, slot: number, at: number, tick: number, seal: KindSeal | undefined): void {
    const store = this.world.stores[kindId]!;
    store.restartSlot(slot, seal);
    this.counters.restarts++;
    if (at > tick + 1) {
      // Backoff: out of the ticks until `at` (the ticks before it are skipped).
      store.suspend(slot);
      const ref = store.refAt(slot) as number;
      const list = this.due.get(at);
      if (list) list.push(ref);
      else this.due.set(at, [ref]);
      this.counters.suspended++;
    }
  }

  private targets(kindId: number, slot: number, jobRange: JobRangeOf): number[] {
    const isolation = this.options.isolation ?? 'actor';
    if (isolation === 'actor') return [slot];
    const store = this.world.stores[kindId]!;
    const size = store.layout.pageSize;
    const [first, end] = isolation === 'partition' ? [Math.floor(slot / size), Math.floor(slot / size) + 1] : (jobRange(kindId, slot) ?? [Math.floor(slot / size), Math.floor(slot / size) + 1]);
    const out: number[] = [];
    for (let s = first * size; s < Math.min(end * size, store.highWater); s++) if (store.isAlive(store.refAt(s))) out.push(s);
    return out;
  }

  private group(kindId: number): ActorSupervisionGroup {
    const store = this.world.stores[kindId]!;
    const handles = store.handleCount;
    const capacity = Math.max(handles, store.layout.pageSize);
    let group = this.groups[kindId];
    if (!group) {
      group = new ActorSupervisionGroup({ capacity, policy: this.options.policy, seed: this.seed, ...(this.options.groupIntensity ? { groupIntensity: this.options.groupIntensity } : {}) });
      this.groups[kindId] = group;
    } else if (group.capacity < handles) {
      group.grow(Math.max(handles, group.capacity * 2));
    }
    return group;
  }

  private escalate(failure: HandlerErrorReport, reason: string): never {
    this.counters.escalations++;
    throw new EngineError('ENGINE_SUPERVISION_ESCALATED', `tick ${failure.tick}: supervision of ${failure.kind} gave up: ${reason} (last failure: actor ${failure.actor}: ${failure.message})`);
  }
}
