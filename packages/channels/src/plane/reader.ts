/**
 * A consumer's side of the tick plane: the records addressed to one partition, in merge order —
 * tier by tier (critical first), and within a tier segment by segment in directory order, and
 * within a segment in the order they were written. That order does not depend on which thread
 * produced or reads them.
 */
import type { PlaneViews } from './buffers.js';
import { DIR_HEADER, DIR_SEGMENTS, SEG_LANE, SEG_ROUTE_AT, SEG_ROUTED, SEGMENT_WORDS, TIERS } from './layout.js';

export class PlaneReader {
  /** The records of the segment the last `next()` came from. */
  records: Float64Array = new Float64Array(0);
  private parity = 0;
  // The segments holding records for the open partition: lane, table word of the partition's first bucket, entries' start.
  private lanes = new Int32Array(64);
  private tables = new Int32Array(64);
  private entryStarts = new Int32Array(64);
  private found = 0;
  private tier = 0;
  private segment = 0;
  private position = 0;
  private end = 0;
  private routes: Int32Array = new Int32Array(0);

  constructor(private readonly views: PlaneViews) {}

  /**
   * Opens partition `index` of group `group` in parity `parity` and returns how many records it
   * has; `next()` then walks them.
   */
  open(parity: number, group: number, index: number): number {
    this.parity = parity;
    const directory = this.views.directories[parity]!;
    const segments = directory[DIR_SEGMENTS]!;
    let found = 0;
    let total = 0;
    for (let s = 0; s < segments; s++) {
      const entry = DIR_HEADER + s * SEGMENT_WORDS;
      const lane = directory[entry + SEG_LANE]! - 1;
      if (lane < 0 || directory[entry + SEG_ROUTED] === 0) continue;
      const routes = this.views.routes(parity, lane);
      const at = directory[entry + SEG_ROUTE_AT]!;
      const groups = routes[at]!;
      if (group >= groups) continue;
      const first = routes[at + 1 + group]!;
      if (index >= routes[at + 2 + group]! - first) continue;
      const table = at + 2 + groups;
      const bucket = table + (first + index) * TIERS;
      const count = routes[bucket + TIERS]! - routes[bucket]!;
      if (count === 0) continue;
      if (found === this.lanes.length) this.grow();
      this.lanes[found] = lane;
      this.tables[found] = bucket;
      this.entryStarts[found] = table + routes[at + 1 + groups]! * TIERS + 1;
      found++;
      total += count;
    }
    this.found = found;
    this.tier = 0;
    this.segment = -1;
    this.position = this.end = 0;
    return total;
  }

  /** The next record's offset in `records`, or -1 when the partition has no more. */
  next(): number {
    while (this.position === this.end) {
      if (++this.segment >= this.found) {
        if (this.tier === TIERS - 1 || this.found === 0) {
          this.segment = this.found;
          return -1;
        }
        this.tier++;
        this.segment = 0;
      }
      const lane = this.lanes[this.segment]!;
      const routes = (this.routes = this.views.routes(this.parity, lane));
      const bucket = this.tables[this.segment]! + this.tier;
      this.position = this.entryStarts[this.segment]! + routes[bucket]!;
      this.end = this.entryStarts[this.segment]! + routes[bucket + 1]!;
      if (this.position !== this.end) this.records = this.views.records(this.parity, lane);
    }
    return this.routes[this.position++]!;
  }

  private grow(): void {
    const size = this.lanes.length * 2;
    for (const name of ['lanes', 'tables', 'entryStarts'] as const) {
      const grown = new Int32Array(size);
      grown.set(this[name]);
      this[name] = grown;
    }
  }
}
