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

/** Numbers per undo-log entry: version, slot, until, windowStart, count, exponent. */
const LOG_ENTRY = 6;

/** Slots per chunk of columns (chunks let the group grow without copying a million actors). */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

/** One chunk of the four columns. */
interface Chunk {
  readonly until: Uint32Array;
  readonly windowStart: Uint32Array;
  readonly count: Uint32Array;
  readonly exponent: Uint8Array;
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
  /**
   * The columns, in chunks of {@link CHUNK} slots.
   */
  private chunks: Chunk[];
  /** Version of the next save; writes are logged under it once anything was saved. */
  private version = 1;
  private logging = false;
  /** States up to this version can no longer be restored (their writes were trimmed). */
  private trimmedThrough = 0;
  /** Undo log of writes since the oldest state that may still be restored (LOG_ENTRY numbers each). */
  private log: number[] = [];

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
    this.chunks = [];
    this.addChunks(capacity);
  }

  /** Slots available. */
  get capacity(): number {
    return this.cap;
  }

  /** Typed-array bytes per slot (13). */
  get bytesPerActor(): number {
    return this.chunks.reduce((n, c) => n + c.until.byteLength + c.windowStart.byteLength + c.count.byteLength + c.exponent.byteLength, 0) / this.cap;
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
    const c = this.writable(slot);
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
    return this.chunks[slot >>> CHUNK_BITS]!.until[slot & CHUNK_MASK]!;
  }

  /** Forgets the slot's history (a new actor takes the slot). */
  reset(slot: number): void {
    if (!(slot >>> 0 === slot && slot < this.cap)) throw badSlot(slot, this.cap);
    const i = slot & CHUNK_MASK;
    const read = this.chunks[slot >>> CHUNK_BITS]!;
    if (read.count[i] === 0 && read.until[i] === 0 && read.exponent[i] === 0) return; // clean already: nothing to log
    const c = this.writable(slot);
    c.until[i] = 0;
    c.windowStart[i] = 0;
    c.count[i] = 0;
    c.exponent[i] = 0;
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
    this.addChunks(capacity);
    this.cap = capacity;
  }

  /** The group's state now, in O(1): later writes are logged so `restore` can take them back. */
  save(): GroupState {
    this.logging = true;
    const state: GroupState = Object.freeze({
      version: this.version,
      capacity: this.cap,
      counters: Object.freeze([this.restarts, this.escalations, this.removals, this.groupCount, this.groupWindowStart] as const),
      groupEscalated: this.groupEscalated,
    });
    this.version++;
    return state;
  }

  /**
   * Puts a saved state back (rewind): undoes every write logged since, newest first. States saved
   * after it can no longer be restored. Cost: the writes since, not the size of the group.
   * @throws SupervisorError `SUPERVISOR_INVALID_ARGUMENT` for a state whose writes were trimmed.
   */
  restore(state: GroupState): void {
    if (state.version >= this.version || this.trimmedThrough >= state.version) {
      throw new SupervisorError(
        'SUPERVISOR_INVALID_ARGUMENT',
        `ActorSupervisionGroup.restore: state ${state.version} cannot be restored (the group is at ${this.version}; states through ${this.trimmedThrough} were trimmed)`,
      );
    }
    const log = this.log;
    let end = log.length;
    while (end > 0 && log[end - LOG_ENTRY]! > state.version) {
      end -= LOG_ENTRY;
      const slot = log[end + 1]!;
      const c = this.chunks[slot >>> CHUNK_BITS]!;
      const i = slot & CHUNK_MASK;
      c.until[i] = log[end + 2]!;
      c.windowStart[i] = log[end + 3]!;
      c.count[i] = log[end + 4]!;
      c.exponent[i] = log[end + 5]!;
    }
    log.length = end;
    [this.restarts, this.escalations, this.removals, this.groupCount, this.groupWindowStart] = state.counters;
    this.groupEscalated = state.groupEscalated;
    this.version = state.version + 1;
  }

  /** Forgets the writes only states older than `oldest` could need (they will not be restored). */
  trimBefore(oldest: GroupState): void {
    const log = this.log;
    let start = 0;
    while (start < log.length && log[start]! <= oldest.version) start += LOG_ENTRY;
    if (start > 0) {
      this.log = log.slice(start);
      this.trimmedThrough = Math.max(this.trimmedThrough, oldest.version - 1);
    }
  }

  /** Undo-log entries held (for memory accounting). */
  get loggedWrites(): number {
    return this.log.length / LOG_ENTRY;
  }

  /**
   * The group's state as bytes, for storage: the group counters, then only the slots with any
   * history (most actors never fail, so this stays small): per slot, 17 bytes.
   */
  toBytes(): Uint8Array {
    const slots: number[] = [];
    this.chunks.forEach((c, k) => {
      for (let i = 0; i < c.until.length; i++) if (c.count[i] !== 0 || c.until[i] !== 0 || c.exponent[i] !== 0) slots.push(k * CHUNK + i);
    });
    const head = 8;
    const words = new Uint32Array(head + slots.length * 5);
    words.set([STATE_FORMAT, this.cap, this.restarts >>> 0, this.escalations >>> 0, this.removals >>> 0, this.groupCount >>> 0, this.groupWindowStart >>> 0, this.groupEscalated ? 1 : 0]);
    slots.forEach((slot, n) => {
      const c = this.chunks[slot >>> CHUNK_BITS]!;
      const i = slot & CHUNK_MASK;
      words.set([slot, c.until[i]!, c.windowStart[i]!, c.count[i]!, c.exponent[i]!], head + n * 5);
    });
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
    this.chunks = [];
    this.cap = capacity;
    this.addChunks(capacity);
    this.log = [];
    this.trimmedThrough = this.version - 1; // states saved before the load describe another world
    [this.restarts, this.escalations, this.removals, this.groupCount, this.groupWindowStart] = [words[2]!, words[3]!, words[4]!, words[5]!, words[6]!];
    this.groupEscalated = words[7] === 1;
    for (let at = 8; at < words.length; at += 5) {
      const slot = words[at]!;
      const c = this.chunks[slot >>> CHUNK_BITS]!;
      const i = slot & CHUNK_MASK;
      c.until[i] = words[at + 1]!;
      c.windowStart[i] = words[at + 2]!;
      c.count[i] = words[at + 3]!;
      c.exponent[i] = words[at + 4]!;
    }
  }

  /** The chunk of `slot`, its current values logged first when a saved state may be restored. */
  private writable(slot: number): Chunk {
    const c = this.chunks[slot >>> CHUNK_BITS]!;
    if (this.logging) {
      const i = slot & CHUNK_MASK;
      this.log.push(this.version, slot, c.until[i]!, c.windowStart[i]!, c.count[i]!, c.exponent[i]!);
    }
    return c;
  }

  /** Grows the chunks to hold `capacity` slots (the last one may be partial; it is enlarged first). */
  private addChunks(capacity: number): void {
    const last = this.chunks.length - 1;
    if (last >= 0 && this.chunks[last]!.until.length < CHUNK) {
      const old = this.chunks[last]!;
      const size = Math.min(CHUNK, capacity - last * CHUNK);
      this.chunks[last] = {
        until: copyInto(new Uint32Array(size), old.until),
        windowStart: copyInto(new Uint32Array(size), old.windowStart),
        count: copyInto(new Uint32Array(size), old.count),
        exponent: copyInto(new Uint8Array(size), old.exponent),
      };
    }
    for (let base = this.chunks.length * CHUNK; base < capacity; base += CHUNK) {
      const size = Math.min(CHUNK, capacity - base);
      this.chunks.push({ until: new Uint32Array(size), windowStart: new Uint32Array(size), count: new Uint32Array(size), exponent: new Uint8Array(size) });
    }
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
