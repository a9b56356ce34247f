/**
 * The worker side of the octree index: the buffers every thread shares, and `OctreeIndexReader`,
 * which answers `ctx.neighbours()` from them (octreeIndex.ts holds the main thread's writer).
 */
import type { ActorRef } from '@concurrengine/actors';
import { octreeFrom, type SpatialIndex } from '@concurrengine/octree';

import { MAX_PASS_JOBS } from './octreeIndexPass.js';
import { TIMED_JOBS } from './partitionJobs.js';
import { growableBuffer, MAX_GROWABLE_BYTES } from './sharedGrowth.js';
import type { NeighbourIndex } from './ports.js';

/** Control words: the octree's epoch (0: none yet), the length of the outside list. */
export const C_EPOCH = 0;
export const C_OUTSIDE = 1;

/** The shared buffers, sent to every thread once. */
export interface OctreeIndexBuffers {
  readonly control: SharedArrayBuffer;
  readonly tree: SharedArrayBuffer;
  readonly refs: SharedArrayBuffer;
  readonly outside: SharedArrayBuffer;
  /** Per job id of the last batch: [ms, actors run]; written by the thread that ran the job. */
  readonly jobTimes: SharedArrayBuffer;
  /** The index pass (octreeIndexPass.ts): its plan per kind, its jobs' counts, the ids they list. */
  readonly passPlan: SharedArrayBuffer;
  readonly passCounts: SharedArrayBuffer;
  readonly passTimes: SharedArrayBuffer;
  readonly listed: SharedArrayBuffer;
}

export function allocateOctreeIndex(): OctreeIndexBuffers {
  return {
    control: new SharedArrayBuffer(16),
    // The octree holds two copies of the item positions (~123 B per id at splitAbove 512): 2 GiB
    // would cap the indexed ids near 17M, V8's 4 GiB limit at ~34M.
    tree: growableBuffer(0, MAX_GROWABLE_BYTES),
    refs: growableBuffer(),
    outside: growableBuffer(),
    jobTimes: new SharedArrayBuffer(TIMED_JOBS * 16),
    passPlan: growableBuffer(),
    passCounts: new SharedArrayBuffer(MAX_PASS_JOBS * 4),
    passTimes: new SharedArrayBuffer(MAX_PASS_JOBS * 8),
    listed: growableBuffer(),
  };
}

export const f64 = (buffer: SharedArrayBuffer): Float64Array<ArrayBufferLike> => new Float64Array(buffer, 0, Math.floor(buffer.byteLength / 8));

/**
 * Answers `ctx.neighbours()` (any thread): results in ascending global id, i.e. (kind, slot) order —
 * the same for any thread count and after a rewind, because slots move only at fixed ticks.
 */
export class OctreeIndexReader implements NeighbourIndex {
  private readonly control: Int32Array;
  private epoch = 0;
  private tree: SpatialIndex | undefined;
  private refs: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private outside: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private ids = new Int32Array(256);

  constructor(private readonly buffers: OctreeIndexBuffers) {
    this.control = new Int32Array(buffers.control);
  }

  query(center: { readonly x: number; readonly y: number; readonly z: number }, radius: number, out: ActorRef[]): number {
    out.length = 0;
    const epoch = Atomics.load(this.control, C_EPOCH);
    if (epoch === 0 || !(radius >= 0)) return 0;
    if (epoch !== this.epoch) {
      this.tree = octreeFrom(this.buffers.tree);
      this.epoch = epoch;
    }
    if (this.refs.length * 8 !== this.buffers.refs.byteLength) this.refs = f64(this.buffers.refs);
    const cx = center.x, cy = center.y, cz = center.z;
    let n = this.tree!.queryRadiusInto(cx, cy, cz, radius, this.ids);
    if (n > this.ids.length) {
      this.ids = new Int32Array(2 ** Math.ceil(Math.log2(n)));
      n = this.tree!.queryRadiusInto(cx, cy, cz, radius, this.ids);
    }
    const outsideCount = this.control[C_OUTSIDE]!;
    if (outsideCount > 0) n = this.scanOutside(outsideCount, cx, cy, cz, radius * radius, n);
    // The octree returns leaf order, which depends on the tree's history: sort for an order that
    // is the same for any thread count and after a rewind.
    const hits = this.ids.subarray(0, n).sort();
    const refs = this.refs;
    for (let i = 0; i < n; i++) out.push(refs[hits[i]!]! as ActorRef);
    return n;
  }

  /** Appends the ids of listed outside actors within the ball (the octree's formula) after `n` ids. */
  private scanOutside(count: number, cx: number, cy: number, cz: number, r2: number, n: number): number {
    if (this.outside.length < count * 4) this.outside = f64(this.buffers.outside);
    const entries = this.outside;
    for (let e = 0; e < count * 4; e += 4) {
      const dx = entries[e + 1]! - cx, dy = entries[e + 2]! - cy, dz = entries[e + 3]! - cz;
      if (!(dx * dx + dy * dy + dz * dz <= r2)) continue;
      if (n === this.ids.length) {
        const grown = new Int32Array(n * 2);
        grown.set(this.ids);
        this.ids = grown;
      }
      this.ids[n++] = entries[e]!;
    }
    return n;
  }
}
