/**
 * Keeps exported counters from going backwards when a source's counter restarts (a replaced
 * worker starts from zero): a drop is treated as a reset and the old total is carried forward.
 */
export interface MonotonicTotals {
  /** The total to export for `key` given the source's raw cumulative value. */
  value(key: string, raw: number): number;
}

interface Track {
  last: number;
  offset: number;
}

/** Creates an empty set of tracked counters. */
export function createMonotonicTotals(): MonotonicTotals {
  const tracks = new Map<string, Track>();
  return {
    value(key, raw) {
      const safe = Number.isFinite(raw) && raw > 0 ? raw : 0;
      let track = tracks.get(key);
      if (track === undefined) {
        track = { last: safe, offset: 0 };
        tracks.set(key, track);
      } else if (safe < track.last) {
        track.offset += track.last;
      }
      track.last = safe;
      return track.offset + safe;
    },
  };
}
