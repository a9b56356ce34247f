/**
 * The per-actor restart state of an `ActorSupervisionGroup`: four columns (13 bytes per actor) in
 * chunks of 4,096 slots, so growing never copies a million actors, and an undo log that makes a
 * saved version restorable — once anything was saved, each write first logs the slot's old
 * values under the current version, and restoring a version undoes the writes after it, newest
 * first. The group's decisions (actorSupervisionGroup.ts) read and write through this.
 */
import { SupervisorError } from './errors.js';

/** Slots per chunk (chunks let the group grow without copying a million actors). */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
export const CHUNK_MASK = CHUNK - 1;

/** Numbers per undo-log entry: version, slot, until, windowStart, count, exponent. */
const LOG_ENTRY = 6;

/** One chunk of the four columns; index a slot with `slot & CHUNK_MASK`. */
export interface Chunk {
  /** Tick from which the actor runs again after its last restart (0: never restarted). */
  readonly until: Uint32Array;
  /** Tick at which the actor's current intensity window opened. */
  readonly windowStart: Uint32Array;
  /** Failures counted in the current window (saturates at 2³²−1). */
  readonly count: Uint32Array;
  /** Exponent of the next exponential backoff. */
  readonly exponent: Uint8Array;
}

export class RestartColumns {
  private chunks: Chunk[] = [];
  /** Version of the next save; writes are logged under it once anything was saved. */
  private version = 1;
  private logging = false;
  /** Versions up to this one can no longer be restored (their writes were trimmed). */
  private trimmedThrough = 0;
  /** Undo log of writes since the oldest version that may still be restored (LOG_ENTRY numbers each). */
  private log: number[] = [];

  constructor(capacity: number) {
    this.grow(capacity);
  }

  /** The chunk of `slot`, for reading. */
  read(slot: number): Chunk {
    return this.chunks[slot >>> CHUNK_BITS]!;
  }

  /** The chunk of `slot`, for writing: its current values are logged first once anything was saved. */
  write(slot: number): Chunk {
    const c = this.chunks[slot >>> CHUNK_BITS]!;
    if (this.logging) {
      const i = slot & CHUNK_MASK;
      this.log.push(this.version, slot, c.until[i]!, c.windowStart[i]!, c.count[i]!, c.exponent[i]!);
    }
    return c;
  }

  /** Whether the slot has any history (a restart, a failure, a backoff exponent). */
  hasHistory(slot: number): boolean {
    const c = this.read(slot);
    const i = slot & CHUNK_MASK;
    return c.count[i] !== 0 || c.until[i] !== 0 || c.exponent[i] !== 0;
  }

  /** Grows the chunks to hold `capacity` slots (the last one may be partial; it is enlarged first). */
  grow(capacity: number): void {
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

  /** Typed-array bytes of the columns. */
  get byteLength(): number {
    return this.chunks.reduce((n, c) => n + c.until.byteLength + c.windowStart.byteLength + c.count.byteLength + c.exponent.byteLength, 0);
  }

  /** A version that `restoreTo` can come back to; O(1). */
  save(): number {
    this.logging = true;
    return this.version++;
  }

  /**
   * Undoes every write logged after `version`, newest first; later versions can no longer be
   * restored. @throws SupervisorError `SUPERVISOR_INVALID_ARGUMENT` for a version trimmed or not yet saved.
   */
  restoreTo(version: number): void {
    if (version >= this.version || this.trimmedThrough >= version) {
      throw new SupervisorError(
        'SUPERVISOR_INVALID_ARGUMENT',
        `ActorSupervisionGroup.restore: state ${version} cannot be restored (the group is at ${this.version}; states through ${this.trimmedThrough} were trimmed)`,
      );
    }
    const log = this.log;
    let end = log.length;
    while (end > 0 && log[end - LOG_ENTRY]! > version) {
      end -= LOG_ENTRY;
      this.put(log[end + 1]!, log[end + 2]!, log[end + 3]!, log[end + 4]!, log[end + 5]!);
    }
    log.length = end;
    this.version = version + 1;
  }

  /** Forgets the writes only versions older than `oldest` could need. */
  trimBefore(oldest: number): void {
    const log = this.log;
    let start = 0;
    while (start < log.length && log[start]! <= oldest) start += LOG_ENTRY;
    if (start > 0) {
      this.log = log.slice(start);
      this.trimmedThrough = Math.max(this.trimmedThrough, oldest - 1);
    }
  }

  /** Undo-log entries held. */
  get loggedWrites(): number {
    return this.log.length / LOG_ENTRY;
  }

  /** Every slot with a history, ascending, as [slot, until, windowStart, count, exponent] (for storage). */
  entries(): number[][] {
    const out: number[][] = [];
    this.chunks.forEach((c, k) => {
      for (let i = 0; i < c.until.length; i++) {
        if (c.count[i] !== 0 || c.until[i] !== 0 || c.exponent[i] !== 0) out.push([k * CHUNK + i, c.until[i]!, c.windowStart[i]!, c.count[i]!, c.exponent[i]!]);
      }
    });
    return out;
  }

  /** Starts over with `capacity` clean slots; saved versions describe another world and cannot be restored. */
  clear(capacity: number): void {
    this.chunks = [];
    this.grow(capacity);
    this.log = [];
    this.trimmedThrough = this.version - 1;
  }

  /** Sets a slot's values without logging (restores and loads). */
  put(slot: number, until: number, windowStart: number, count: number, exponent: number): void {
    const c = this.read(slot);
    const i = slot & CHUNK_MASK;
    c.until[i] = until;
    c.windowStart[i] = windowStart;
    c.count[i] = count;
    c.exponent[i] = exponent;
  }
}

function copyInto<T extends Uint32Array | Uint8Array>(to: T, from: T): T {
  to.set(from);
  return to;
}
