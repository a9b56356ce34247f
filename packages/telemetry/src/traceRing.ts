/**
 * Sampled events for the dashboard. `sample_rate` picks actors, not events: an actor is sampled
 * when a hash of its id falls below the rate, so the choice is deterministic and a sampled actor's
 * events are all kept. The engine should decide once per actor (`isSampled` at spawn) and call
 * `record` only for those, so unsampled actors cost nothing. The ring overwrites its oldest entry.
 */

/** One sampled event. */
export interface TraceEvent {
  readonly tick: number;
  readonly actor: number;
  readonly type: string;
}

export interface TraceRing {
  /** Whether `actor`'s events belong in the trace at this ring's sample rate. */
  isSampled(actor: number): boolean;
  /** Stores an event (without checking `isSampled`). */
  record(tick: number, actor: number, type: string): void;
  /**
   * Stores one event of type `type` for each of the first `count` actors (default: all), as one
   * call. Only the last `capacity` can survive in the ring, so only those are written: the cost is
   * bounded by the capacity, not by how many actors were sampled.
   */
  recordMany(tick: number, type: string, actors: ArrayLike<number>, count?: number): void;
  /** Events recorded since creation (including those a batch skipped writing). */
  readonly count: number;
  /** Events recorded after the first `since`, oldest first, at most `limit` (the newest ones). */
  since(since: number, limit: number): TraceEvent[];
}

/** Fibonacci hash of an actor id into 0..2^32-1. */
function actorHash(actor: number): number {
  return Math.imul(actor | 0, 0x9e3779b1) >>> 0;
}

/** Creates a ring of `capacity` events sampling `sampleRate` (0..1) of actors. */
export function createTraceRing(sampleRate: number, capacity = 1024): TraceRing {
  const threshold = Math.round(Math.min(1, Math.max(0, sampleRate)) * 2 ** 32);
  const ticks = new Float64Array(capacity);
  const actors = new Float64Array(capacity);
  const types: string[] = new Array<string>(capacity).fill('');
  let count = 0;
  return {
    isSampled: (actor) => actorHash(actor) < threshold,
    record(tick, actor, type) {
      const at = count % capacity;
      ticks[at] = tick;
      actors[at] = actor;
      types[at] = type;
      count++;
    },
    recordMany(tick, type, list, n = list.length) {
      const total = Math.min(n, list.length);
      count += Math.max(0, total - capacity);
      for (let i = Math.max(0, total - capacity); i < total; i++) {
        const at = count % capacity;
        ticks[at] = tick;
        actors[at] = list[i] ?? 0;
        types[at] = type;
        count++;
      }
    },
    get count() {
      return count;
    },
    since(since, limit) {
      const from = Math.max(since, count - capacity, count - limit, 0);
      const out: TraceEvent[] = [];
      for (let i = from; i < count; i++) {
        const at = i % capacity;
        out.push({ tick: ticks[at] ?? 0, actor: actors[at] ?? 0, type: types[at] ?? '' });
      }
      return out;
    },
  };
}
