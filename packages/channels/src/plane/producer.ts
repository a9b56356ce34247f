/**
 * A producer's side of the tick plane: one thread writing records into its own lane during a tick,
 * segment by segment. A segment is routed when it ends, in the producing thread, while its records
 * are still in that core's cache; the consumers find them through the directory.
 */
import type { PlaneViews } from './buffers.js';
import { ensureBytes, type PartitionOf } from './layout.js';
import { RouteScratch, routeSegment } from './route.js';

export class LaneProducer {
  /** This lane's records (float64) in the parity being written; renewed when the lane grows. */
  records: Float64Array = new Float64Array(0);
  /** Records used, in lanes: `reserve` moves it on, a failed write may put it back. */
  length = 0;
  private parity = 0;
  private start = 0;
  private readonly scratch = new RouteScratch();

  constructor(
    private readonly views: PlaneViews,
    readonly lane: number,
  ) {}

  /** Starts a segment in parity `parity` (the tick's), after what this lane already holds. */
  begin(parity: number): void {
    this.parity = parity;
    this.length = this.views.lengths[this.views.lengthAt(parity, this.lane)]!;
    this.start = this.length;
    this.records = this.views.records(parity, this.lane);
  }

  /** Reserves `lanes` float64 lanes for one record and returns where it starts in `records`. */
  reserve(lanes: number): number {
    const at = this.length;
    const end = at + lanes;
    if (end > this.records.length) {
      ensureBytes(this.views.recordBuffer(this.parity, this.lane), end * 8);
      this.records = this.views.records(this.parity, this.lane);
    }
    this.length = end;
    return at;
  }

  /** Records written since `begin`. */
  get written(): number {
    return this.length - this.start;
  }

  /**
   * Ends the segment: routes its records and publishes them as segment `segment` of the parity
   * (a segment with no records is published as empty). Returns the number of dead letters.
   */
  end(segment: number, groupStarts: ArrayLike<number>, partitionOf: PartitionOf): number {
    this.views.lengths[this.views.lengthAt(this.parity, this.lane)] = this.length;
    return routeSegment(this.views, this.scratch, this.parity, this.lane, segment, this.start, this.length, groupStarts, partitionOf);
  }
}
