/**
 * Supervision of many actors of one kind under one policy, with no object per actor: four
 * columns of typed arrays, 13 bytes per actor. The engine calls `recordFailure` from its tick
 * boundary when a handler threw; nothing is called, read or written for actors that do not fail.
 */
import { backoffDelay, jitterUnit, MAX_EXPONENT } from './backoff.js';
import { show, SupervisorError } from './errors.js';
import { checkBackoff, checkIntensity, checkRestartType, type BackoffPolicy, type Intensity, type RestartType } from './policy.js';

/** The restart policy of every actor in a group; `within` and backoff delays are in ticks. */
export interface ActorGroupPolicy extends Intensity {
  readonly restart: RestartType;
  readonly backoff: BackoffPolicy;
}

export interface ActorSupervisionGroupOptions {
  /** Slots `0 … capacity-1`; `grow()` adds more. */
  readonly capacity: number;
  readonly policy: ActorGroupPolicy;
  /** Seed of the backoff jitter (default 0). */
  readonly seed?: number;
  /** Restarts of the whole group: more than `maxRestarts` within `within` ticks escalates the group. */
  readonly groupIntensity?: Intensity;
}

/**
 * What the engine does with a failed actor. `restart`: run it again (fresh state) from tick `at`
 * (`at === now` means no backoff). `remove`: a temporary actor, gone. `escalate`: give up and
 * hand the failure to the parent — `scope: 'actor'` when this actor failed more than
 * `maxRestarts` times in its window, `'group'` when the whole group did.
 */
export type FailureDecision =
  | { readonly action: 'restart'; readonly at: number }
  | { readonly action: 'remove' }
  | { readonly action: 'escalate'; readonly scope: 'actor' | 'group'; readonly reason: string };

/**
 * A group's state at one moment (`save()`), for rollback: immutable, sharing the columns with the
 * live group until the group next writes them (the whole columns are copied then, once).
 */
export interface GroupState {
  readonly capacity: number;
  readonly columns: readonly [Uint32Array, Uint32Array, Uint32Array, Uint8Array];
  readonly counters: readonly [restarts: number, escalations: number, removals: number, groupCount: number, groupWindowStart: number];
  readonly groupEscalated: boolean;
}

/** Largest tick a Uint32 column holds; `at` saturates here. */
const MAX_TICK = 0xffffffff;
const REMOVE: FailureDecision = Object.freeze({ action: 'remove' });

/**
 * Per-actor restart state in typed arrays (13 B per actor), plus group-level intensity.
 *
 * Per-actor intensity uses a **fixed window**: a window opens at a failure when none is open (or
 * the last one opened more than `within` ticks ago); the (maxRestarts+1)-th failure inside it
 * escalates. Every restart decision then counts toward the group window the same way; exceeding
 * it escalates the group, after which every failure answers `escalate`/`group` until
 * `resetGroup()`. Temporary actors are removed and count toward neither.
 *
 * One thread owns a group (the engine's tick-boundary thread); nothing here is atomic.
 */
export class ActorSupervisionGroup {
  /** Restart decisions returned. */
  restarts = 0;
  /** Escalate decisions returned (actor or group scope). */
  escalations = 0;
  /** Remove decisions returned (temporary actors). */
  removals = 0;
  /** True once the group exceeded its own intensity; cleared by `resetGroup()`. */
  groupEscalated = false;

  private cap: number;
  // The four columns; replaced (copied) by grow(). Index = actor slot.
  /** Tick from which the actor runs again after its last restart (0: never restarted). */
  private until: Uint32Array;
  /** Tick at which the actor's current intensity window opened. */
  private windowStart: Uint32Array;
  /** Failures counted in the current window (saturates at 2³²−1). */
  private count: Uint32Array;
  /** Exponent of the next exponential backoff. */
  private exponent: Uint8Array;

  private readonly restartType: RestartType;
  private readonly backoff: BackoffPolicy;
  private readonly maxRestarts: number;
  private readonly within: number;
  private readonly resetAfter: number;
  private readonly seed: number;
  private readonly groupMax: number;
  private readonly groupWithin: number;
  private groupWindowStart = 0;
  private groupCount = 0;
  private readonly groupDecision: FailureDecision;
  /** The columns are shared with a saved state: copy before the next write. */
  private shared = false;

  /** @throws SupervisorError `SUPERVISOR_INVALID_POLICY` or `SUPERVISOR_INVALID_ARGUMENT` for bad options. */
  constructor(options: ActorSupervisionGroupOptions) {
    const { capacity, policy, seed = 0, groupIntensity } = options;
    checkCapacity(capacity);
    if (typeof policy !== 'object' || policy === null) {
      throw new SupervisorError('SUPERVISOR_INVALID_POLICY', `ActorSupervisionGroup: policy must be an object, got ${show(policy)}`);
    }
    this.restartType = checkRestartType(policy.restart, 'ActorSupervisionGroup policy');
    this.backoff = checkBackoff(policy.backoff, 'ActorSupervisionGroup policy');
    checkIntensity(policy.maxRestarts, policy.within, 'ActorSupervisionGroup policy');
    if (!Number.isInteger(seed)) throw new SupervisorError('SUPERVISOR_INVALID_POLICY', `ActorSupervisionGroup: seed must be an integer, got ${show(seed)}`);
    if (groupIntensity !== undefined) checkIntensity(groupIntensity.maxRestarts, groupIntensity.within, 'ActorSupervisionGroup groupIntensity');
    this.maxRestarts = policy.maxRestarts;
    this.within = policy.within;
    this.resetAfter = this.backoff.kind === 'exponential' ? this.backoff.resetAfter : Infinity;
    this.seed = seed >>> 0;
    this.groupMax = groupIntensity?.maxRestarts ?? Infinity;
    this.groupWithin = groupIntensity?.within ?? 1;
    this.groupDecision = Object.freeze({
      action: 'escalate',
      scope: 'group',
      reason: `the group restarted more than ${this.groupMax} actors within ${this.groupWithin} ticks`,
    });
    this.cap = capacity;
    this.until = new Uint32Array(capacity);
    this.windowStart = new Uint32Array(capacity);
    this.count = new Uint32Array(capacity);
    this.exponent = new Uint8Array(capacity);
  }

  /** Slots available. */
  get capacity(): number {
    return this.cap;
  }

  /** Typed-array bytes per slot (13). */
  get bytesPerActor(): number {
    return (this.until.byteLength + this.windowStart.byteLength + this.count.byteLength + this.exponent.byteLength) / this.cap;
  }

  /**
   * The decision for the actor in `slot`, whose handler failed at tick `now`. O(1), no allocation
   * except the returned restart/escalate object. Ticks must not go backwards for a slot.
   * @throws SupervisorError `SUPERVISOR_INVALID_ARGUMENT` for a slot outside the capacity or a tick that is not an integer in [0, 2³²).
   */
  recordFailure(slot: number, now: number): FailureDecision {
    if (!(slot >>> 0 === slot && slot < this.cap)) throw badSlot(slot, this.cap);
    if (!(now >>> 0 === now)) throw badTick(now);
    if (this.groupEscalated) {
      this.escalations++;
      return this.groupDecision;
    }
    if (this.restartType === 'temporary') {
      this.removals++;
      return REMOVE;
    }
    if (this.shared) this.unshare();
    // Per-actor fixed window.
    let start = this.windowStart[slot]!;
    let failures = this.count[slot]!;
    if (failures === 0 || now - start > this.within) {
      start = now;
      failures = 0;
    }
    if (failures < MAX_TICK) failures++;
    this.windowStart[slot] = start;
    this.count[slot] = failures;
    if (failures > this.maxRestarts) {
      this.escalations++;
      return {
        action: 'escalate',
        scope: 'actor',
        reason: `actor ${slot} failed ${failures} times within ${this.within} ticks (maxRestarts ${this.maxRestarts})`,
      };
    }
    // Group fixed window: every restart counts.
    if (this.groupMax !== Infinity) {
      if (this.groupCount === 0 || now - this.groupWindowStart > this.groupWithin) {
        this.groupWindowStart = now;
        this.groupCount = 0;
      }
      if (++this.groupCount > this.groupMax) {
        this.groupEscalated = true;
        this.escalations++;
        return this.groupDecision;
      }
    }
    let at = now;
    if (this.backoff.kind !== 'none') {
      let e = this.exponent[slot]!;
      // Running `resetAfter` ticks since the last restart resets the exponent (Akka's resetBackoff).
      if (now - this.until[slot]! >= this.resetAfter) e = 0;
      const unit = this.backoff.kind === 'exponential' && this.backoff.jitter > 0 ? jitterUnit(this.seed, slot, now, e) : 0;
      at = Math.min(MAX_TICK, now + backoffDelay(this.backoff, e, unit));
      this.exponent[slot] = e < MAX_EXPONENT ? e + 1 : e;
    }
    this.until[slot] = at;
    this.restarts++;
    return { action: 'restart', at };
  }

  /**
   * Tick from which the actor in `slot` runs again after its last restart; it is suspended while
   * `tick < suspendedUntil(slot)`. 0 for a slot never restarted.
   */
  suspendedUntil(slot: number): number {
    if (!(slot >>> 0 === slot && slot < this.cap)) throw badSlot(slot, this.cap);
    return this.until[slot]!;
  }

  /** Forgets the slot's history (a new actor takes the slot). */
  reset(slot: number): void {
    if (!(slot >>> 0 === slot && slot < this.cap)) throw badSlot(slot, this.cap);
    if (this.count[slot] === 0 && this.until[slot] === 0) return; // clean already: no copy of shared columns
    if (this.shared) this.unshare();
    this.until[slot] = 0;
    this.windowStart[slot] = 0;
    this.count[slot] = 0;
    this.exponent[slot] = 0;
  }

  /** Clears the group's escalation and its window (after the parent restarted the group). */
  resetGroup(): void {
    this.groupEscalated = false;
    this.groupCount = 0;
    this.groupWindowStart = 0;
  }

  /**
   * Grows to `capacity` slots, copying the columns (new slots start clean). A smaller or equal
   * capacity is a no-op.
   * @throws SupervisorError `SUPERVISOR_INVALID_ARGUMENT` for a capacity that is not a positive integer.
   */
  grow(capacity: number): void {
    checkCapacity(capacity);
    if (capacity <= this.cap) return;
    this.until = copyInto(new Uint32Array(capacity), this.until);
    this.windowStart = copyInto(new Uint32Array(capacity), this.windowStart);
    this.count = copyInto(new Uint32Array(capacity), this.count);
    this.exponent = copyInto(new Uint8Array(capacity), this.exponent);
    this.cap = capacity;
    this.shared = false;
  }

  /**
   * The group's state now, in O(1): the columns are shared until the group writes again, when
   * it copies them (13 bytes per slot, once per save that is followed by a failure).
   */
  save(): GroupState {
    this.shared = true;
    return Object.freeze({
      capacity: this.cap,
      columns: Object.freeze([this.until, this.windowStart, this.count, this.exponent] as const),
      counters: Object.freeze([this.restarts, this.escalations, this.removals, this.groupCount, this.groupWindowStart] as const),
      groupEscalated: this.groupEscalated,
    });
  }

  /** Puts a saved state back (rewind); the columns stay shared with it until the next write. */
  restore(state: GroupState): void {
    [this.until, this.windowStart, this.count, this.exponent] = state.columns;
    [this.restarts, this.escalations, this.removals, this.groupCount, this.groupWindowStart] = state.counters;
    this.groupEscalated = state.groupEscalated;
    this.cap = state.capacity;
    this.shared = true;
  }

  private unshare(): void {
    this.until = this.until.slice();
    this.windowStart = this.windowStart.slice();
    this.count = this.count.slice();
    this.exponent = this.exponent.slice();
    this.shared = false;
  }
}

function copyInto<T extends Uint32Array | Uint8Array>(to: T, from: T): T {
  to.set(from);
  return to;
}

function checkCapacity(capacity: unknown): void {
  if (!(typeof capacity === 'number' && Number.isInteger(capacity) && capacity > 0 && capacity <= 2 ** 31)) {
    throw new SupervisorError('SUPERVISOR_INVALID_ARGUMENT', `ActorSupervisionGroup: capacity must be an integer from 1 to 2^31, got ${show(capacity)}`);
  }
}

function badSlot(slot: number, cap: number): SupervisorError {
  return new SupervisorError('SUPERVISOR_INVALID_ARGUMENT', `slot must be an integer from 0 to ${cap - 1}, got ${show(slot)}`);
}

function badTick(now: number): SupervisorError {
  return new SupervisorError('SUPERVISOR_INVALID_ARGUMENT', `now must be an integer tick from 0 to 2^32-1, got ${show(now)}`);
}
