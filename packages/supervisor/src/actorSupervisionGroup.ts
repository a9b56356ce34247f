/**
 * Supervision of many actors of one kind under one policy, with no object per actor: four
 * columns of typed arrays, 13 bytes per actor. The engine calls `recordFailure` from its tick
 * boundary when a handler threw; nothing is called, read or written for actors that do not fail.
 */
import { backoffDelay, jitterUnit, MAX_EXPONENT } from './backoff.js';
import { show, SupervisorError } from './errors.js';
import { CHUNK_MASK, RestartColumns } from './restartColumns.js';
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
 * A group's state at one moment (`save()`), for rollback: a version, the group counters, and —
 * kept by the group, not here — an undo log of every slot written since, so `restore` takes back
 * just those writes. Saving costs nothing per actor, and a write after a save costs one log entry.
 */
export interface GroupState {
  readonly version: number;
  readonly capacity: number;
  readonly counters: readonly [restarts: number, escalations: number, removals: number, groupCount: number, groupWindowStart: number];
  readonly groupEscalated: boolean;
}

/** Version of `toBytes()`'s layout. */
const STATE_FORMAT = 1;

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
  /** Per-actor restart state and its undo log (restartColumns.ts). */
  private readonly columns: RestartColumns;

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
    this.columns = new RestartColumns(capacity);
  }

  /** Slots available. */
  get capacity(): number {
    return this.cap;
  }

  /** Typed-array bytes per slot (13). */
  get bytesPerActor(): number {
    return this.columns.byteLength / this.cap;
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
    const c = this.columns.write(slot);
    const i = slot & CHUNK_MASK;
    // Per-actor fixed window.
    let start = c.windowStart[i]!;
    let failures = c.count[i]!;
    if (failures === 0 || now - start > this.within) {
      start = now;
      failures = 0;
    }
    if (failures < MAX_TICK) failures++;
    c.windowStart[i] = start;
    c.count[i] = failures;
    if (failures > this.maxRestarts) {
      this.escalations++;
      return {
        action: 'escalate',
        scope: 'actor',
        reason: `actor ${slot} failed ${failures} times within ${this.within} ticks (maxRestarts ${this.maxRestarts})`,
      };
    }
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
      let e = c.exponent[i]!;
      // Running `resetAfter` ticks since the last restart resets the exponent (Akka's resetBackoff).
      if (now - c.until[i]! >= this.resetAfter) e = 0;
      const unit = this.backoff.kind === 'exponential' && this.backoff.jitter > 0 ? jitterUnit(this.seed, slot, now, e) : 0;
      at = Math.min(MAX_TICK, now + backoffDelay(this.backoff, e, unit));
      c.exponent[i] = e < MAX_EXPONENT ? e + 1 : e;
    }
    c.until[i] = at;
    this.restarts++;
    return { action: 'restart', at };
  }

  /**
   * Tick from which the actor in `slot` runs again after its last restart; it is suspended while
   * `tick < suspendedUntil(slot)`. 0 for a slot never restarted.
   */
  suspendedUntil(slot: number): number {
    if (!(slot >>> 0 === slot && slot < this.cap)) throw badSlot(slot, this.cap);
    return this.columns.read(slot).until[slot & CHUNK_MASK]!;
  }

  /** Forgets the slot's history (a new actor takes the slot). */
  reset(slot: number): void {
    if (!(slot >>> 0 === slot && slot < this.cap)) throw badSlot(slot, this.cap);
    if (!this.columns.hasHistory(slot)) return; // clean already: nothing to log
    this.columns.write(slot);
    this.columns.put(slot, 0, 0, 0, 0);
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
    this.columns.grow(capacity);
    this.cap = capacity;
  }

  /** The group's state now, in O(1): later writes are logged so `restore` can take them back. */
  save(): GroupState {
    return Object.freeze({
      version: this.columns.save(),
      capacity: this.cap,
      counters: Object.freeze([this.restarts, this.escalations, this.removals, this.groupCount, this.groupWindowStart] as const),
      groupEscalated: this.groupEscalated,
    });
  }

  /**
   * Puts a saved state back (rewind): undoes every write logged since, newest first. States saved
   * after it can no longer be restored. Cost: the writes since, not the size of the group.
   * @throws SupervisorError `SUPERVISOR_INVALID_ARGUMENT` for a state whose writes were trimmed.
   */
  restore(state: GroupState): void {
    this.columns.restoreTo(state.version);
    [this.restarts, this.escalations, this.removals, this.groupCount, this.groupWindowStart] = state.counters;
    this.groupEscalated = state.groupEscalated;
  }

  /** Forgets the writes only states older than `oldest` could need (they will not be restored). */
  trimBefore(oldest: GroupState): void {
    this.columns.trimBefore(oldest.version);
  }

  /** Undo-log entries held (for memory accounting). */
  get loggedWrites(): number {
    return this.columns.loggedWrites;
  }

  /**
   * The group's state as bytes, for storage: the group counters, then only the slots with any
   * history (most actors never fail, so this stays small): per slot, 17 bytes.
   */
  toBytes(): Uint8Array {
    const entries = this.columns.entries();
    const head = 8;
    const words = new Uint32Array(head + entries.length * 5);
    words.set([STATE_FORMAT, this.cap, this.restarts >>> 0, this.escalations >>> 0, this.removals >>> 0, this.groupCount >>> 0, this.groupWindowStart >>> 0, this.groupEscalated ? 1 : 0]);
    entries.forEach((entry, n) => words.set(entry, head + n * 5));
    return new Uint8Array(words.buffer);
  }

  /**
   * Replaces the group's state with `toBytes()` output (a restore from storage).
   * @throws SupervisorError `SUPERVISOR_INVALID_ARGUMENT` for bytes that are not a group's state, before anything changes.
   */
  loadBytes(bytes: Uint8Array): void {
    const invalid = (why: string) => new SupervisorError('SUPERVISOR_INVALID_ARGUMENT', `ActorSupervisionGroup.loadBytes: ${why}`);
    if (bytes.byteLength % 4 !== 0 || bytes.byteLength < 32) throw invalid(`${bytes.byteLength} bytes is not a stored group state`);
    const words = new Uint32Array(bytes.slice().buffer);
    if (words[0] !== STATE_FORMAT) throw invalid(`format ${words[0]}; this version reads ${STATE_FORMAT}`);
    const capacity = words[1]!;
    if ((words.length - 8) % 5 !== 0) throw invalid('truncated slot entries');
    for (let at = 8; at < words.length; at += 5) if (words[at]! >= capacity) throw invalid(`slot ${words[at]} beyond the stored capacity ${capacity}`);
    this.cap = capacity;
    this.columns.clear(capacity); // states saved before the load describe another world
    [this.restarts, this.escalations, this.removals, this.groupCount, this.groupWindowStart] = [words[2]!, words[3]!, words[4]!, words[5]!, words[6]!];
    this.groupEscalated = words[7] === 1;
    for (let at = 8; at < words.length; at += 5) this.columns.put(words[at]!, words[at + 1]!, words[at + 2]!, words[at + 3]!, words[at + 4]!);
  }
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
