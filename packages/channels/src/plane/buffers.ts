/**
 * The tick plane's shared buffers, and each thread's views of them. The buffers are plain data
 * (SharedArrayBuffers and numbers): hand them to workers the way any shared memory is handed.
 */
import { ChannelError } from '../errors.js';
import { DIRECTORY_WORDS, LENGTH_WORDS, MAX_LANE_BYTES, PARITIES, type RecordShape } from './layout.js';

export interface TickPlaneBuffers {
  /** Producer lanes: one per thread that sends, plus any the owner keeps for outside input. */
  readonly lanes: number;
  readonly shape: RecordShape;
  /** Float64 records, index `parity · lanes + lane`. */
  readonly records: readonly SharedArrayBuffer[];
  /** Int32 routes, index `parity · lanes + lane`. */
  readonly routes: readonly SharedArrayBuffer[];
  /** Int32 directory per parity. */
  readonly directory: readonly SharedArrayBuffer[];
  /** Int32 used lengths, `(parity · lanes + lane) · 2 + (0: records, 1: routes)`. */
  readonly lengths: SharedArrayBuffer;
}

export interface TickPlaneOptions extends RecordShape {
  readonly lanes: number;
}

/**
 * Allocates a tick plane: address space is reserved per lane, memory is committed as lanes grow.
 * @throws ChannelError `CHANNEL_INVALID_OPTION`
 */
export function createTickPlane(options: TickPlaneOptions): TickPlaneBuffers {
  const { lanes, lengthLane, tierLane } = options;
  if (!Number.isInteger(lanes) || lanes < 1 || lanes > 4096) throw new ChannelError('CHANNEL_INVALID_OPTION', `tick plane: lanes ${lanes} is not an integer in [1, 4096]`);
  for (const [name, value] of [['lengthLane', lengthLane], ['tierLane', tierLane]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 64) throw new ChannelError('CHANNEL_INVALID_OPTION', `tick plane: ${name} ${value} is not an integer in [0, 64]`);
  }
  const growable = () => new SharedArrayBuffer(0, { maxByteLength: MAX_LANE_BYTES });
  return {
    lanes,
    shape: { lengthLane, tierLane },
    records: Array.from({ length: PARITIES * lanes }, growable),
    routes: Array.from({ length: PARITIES * lanes }, growable),
    directory: Array.from({ length: PARITIES }, () => new SharedArrayBuffer(DIRECTORY_WORDS * 4)),
    lengths: new SharedArrayBuffer(PARITIES * lanes * LENGTH_WORDS * 4),
  };
}

/** One thread's views of a plane's buffers, renewed when another thread has grown a buffer. */
export class PlaneViews {
  readonly directories: readonly Int32Array[];
  readonly lengths: Int32Array;
  private readonly recordViews: Float64Array[];
  private readonly routeViews: Int32Array[];

  constructor(readonly buffers: TickPlaneBuffers) {
    this.directories = buffers.directory.map((b) => new Int32Array(b));
    this.lengths = new Int32Array(buffers.lengths);
    this.recordViews = buffers.records.map(() => new Float64Array(0));
    this.routeViews = buffers.routes.map(() => new Int32Array(0));
  }

  records(parity: number, lane: number): Float64Array {
    const i = parity * this.buffers.lanes + lane;
    const view = this.recordViews[i]!;
    const buffer = this.buffers.records[i]!;
    // Fixed-length views: a length-tracking view of a growable buffer is several times slower per access in V8.
    return view.byteLength === buffer.byteLength ? view : (this.recordViews[i] = new Float64Array(buffer, 0, buffer.byteLength / 8));
  }

  routes(parity: number, lane: number): Int32Array {
    const i = parity * this.buffers.lanes + lane;
    const view = this.routeViews[i]!;
    const buffer = this.buffers.routes[i]!;
    return view.byteLength === buffer.byteLength ? view : (this.routeViews[i] = new Int32Array(buffer, 0, buffer.byteLength / 4));
  }

  recordBuffer(parity: number, lane: number): SharedArrayBuffer {
    return this.buffers.records[parity * this.buffers.lanes + lane]!;
  }

  routeBuffer(parity: number, lane: number): SharedArrayBuffer {
    return this.buffers.routes[parity * this.buffers.lanes + lane]!;
  }

  lengthAt(parity: number, lane: number): number {
    return (parity * this.buffers.lanes + lane) * 2;
  }
}
