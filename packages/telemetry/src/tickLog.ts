/**
 * The recent tick durations, for the dashboard's tick chart: a fixed ring of float64, written once
 * per tick by the tick loop, read at the stream rate. No allocation on write.
 */

export interface TickLog {
  /** Appends one tick's duration in seconds. */
  push(durationSeconds: number): void;
  /** Ticks recorded since creation. */
  readonly count: number;
  /**
   * Durations recorded after the first `since` ticks, oldest first, in milliseconds; at most the
   * ring's capacity (older ones are gone).
   */
  since(since: number): number[];
}

/** Creates a ring holding the last `capacity` ticks. */
export function createTickLog(capacity = 1024): TickLog {
  const ring = new Float64Array(capacity);
  let count = 0;
  return {
    push(durationSeconds) {
      ring[count % capacity] = durationSeconds;
      count++;
    },
    get count() {
      return count;
    },
    since(since) {
      const from = Math.max(since, count - capacity, 0);
      const out: number[] = [];
      for (let i = from; i < count; i++) out.push((ring[i % capacity] ?? 0) * 1000);
      return out;
    },
  };
}
