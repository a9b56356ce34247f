/**
 * The neighbour index on the adaptive octree. The main thread brings the octree up to date at each
 * boundary (`OctreeIndexWriter.rebuild`, after the boundary's spawns and despawns): one pass over
 * every kind's `position` column gathers positions by global actor id, inserts and removes what
 * changed, then `update` re-buckets the actors that left their leaf and `rebalance` splits and
 * merges. Every thread answers `ctx.neighbours()` from the octree's SharedArrayBuffer through
 * `octreeFrom`: the positions it holds are copies, so they are those of the end of the last tick.
 *
 * Ids: kind-major, `id = base[kind] + slot`, each kind owning a power-of-two range; a kind that
 * outgrows its range makes the writer build a larger octree in the same growable buffer and bump
 * the epoch, on which readers re-attach. `refs[id]` (Float64) maps an id back to its ref.
 * Actors outside the world box are kept out of the octree and listed in `outside` as
 * (id, x, y, z); every query scans that list, so results stay exact wherever actors go.
 */
import { makeRef, type ActorRef, type KindStore } from '@concurrengine/actors';
import { createOctree, octreeByteLength, octreeFrom, type Octree, type OctreeOptions, type SpatialIndex, type Vec3Tuple } from '@concurrengine/octree';
import type { JobBatch } from '@concurrengine/scheduler';
import type { PartitionStats } from '@concurrengine/telemetry';

import { PartitionJobs, TIMED_JOBS } from './partitionJobs.js';
import { SpatialSortScratch, sortKindInSpace } from './spatialOrder.js';
import { ensureBytes, growableBuffer } from './sharedGrowth.js';
import type { AdaptiveOctreeSpatial, SpatialBounds, SpatialStats, SpatialWriter } from './spatial.js';
import type { NeighbourIndex } from './threadContext.js';

/** Control words: the octree's epoch (0: none yet), the length of the outside list. */
const C_EPOCH = 0;
const C_OUTSIDE = 1;

/**
 * Ticks between two spatial sorts of the actors (`reorderEvery`): 10 s at 60 Hz. A sort stalls
 * its boundary (~120–150 ms at 1M actors here), and locality decays slowly: at the brief's speeds an
 * actor moves a few units in 10 s, against leaves tens of units wide.
 */
export const DEFAULT_REORDER_EVERY = 600;

/** The shared buffers, sent to every thread once. */
export interface OctreeIndexBuffers {
  readonly control: SharedArrayBuffer;
  readonly tree: SharedArrayBuffer;
  readonly refs: SharedArrayBuffer;
  readonly outside: SharedArrayBuffer;
  /** Per job id of the last batch: [ms, actors run]; written by the thread that ran the job. */
  readonly jobTimes: SharedArrayBuffer;
}

export function allocateOctreeIndex(): OctreeIndexBuffers {
  return { control: new SharedArrayBuffer(16), tree: growableBuffer(), refs: growableBuffer(), outside: growableBuffer(), jobTimes: new SharedArrayBuffer(TIMED_JOBS * 16) };
}

const f64 = (buffer: SharedArrayBuffer): Float64Array<ArrayBufferLike> => new Float64Array(buffer, 0, Math.floor(buffer.byteLength / 8));

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

/** Per id: not indexed, in the octree, or in the outside list. */
const ABSENT = 0;
const INSIDE = 1;
const OUTSIDE = 2;

/** Keeps the octree in step with the world (main thread, between ticks). */
export class OctreeIndexWriter implements SpatialWriter {
  private readonly control: Int32Array;
  private tree: Octree | undefined;
  private worldBox: { min: Vec3Tuple; max: Vec3Tuple } | undefined;
  private epoch = 0;
  /** Per kind id: position column (-1: none), id range start and size, slots examined last time. */
  private columns: number[] = [];
  private bases: number[] = [];
  private caps: number[] = [];
  private high: number[] = [];
  private state = new Uint8Array(0);
  private positions = new Float64Array(0);
  private pending = new Int32Array(0);
  private refs: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private outside: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private outsideCount = 0;
  private readonly counters = { splits: 0, merges: 0, crossings: 0, updateMs: 0, sorts: 0, sortMs: 0 };
  private newIdOf = new Int32Array(0);
  private readonly sortScratch = new SpatialSortScratch();
  private readonly jobs: PartitionJobs;

  constructor(
    private readonly buffers: OctreeIndexBuffers,
    private readonly options: AdaptiveOctreeSpatial,
  ) {
    this.control = new Int32Array(buffers.control);
    this.jobs = new PartitionJobs(new Float64Array(buffers.jobTimes));
  }

  rebuild(stores: readonly KindStore[], tick?: number): void {
    const began = performance.now();
    if (!this.tree || stores.some((s, k) => this.columnOf(s) >= 0 && s.highWater > (this.caps[k] ?? 0))) this.recreate(stores);
    this.sync(stores);
    const tree = this.tree!;
    this.counters.crossings += tree.update(this.positions);
    for (const event of tree.rebalance()) {
      if (event.type === 'split') this.counters.splits++;
      else this.counters.merges++;
    }
    const every = this.options.reorderEvery ?? DEFAULT_REORDER_EVERY;
    // The first boundary sorts too: a world spawned in any order runs sorted from tick 1.
    const sorted = tick !== undefined && every > 0 && (tick === 1 || tick % every === 0);
    if (sorted) this.sortInSpace(stores);
    this.jobs.boundary(tree, this.bases, this.caps, stores, sorted);
    Atomics.store(this.control, C_OUTSIDE, this.outsideCount);
    Atomics.store(this.control, C_EPOCH, this.epoch);
    this.counters.updateMs = performance.now() - began;
  }

  preferWorker(jobId: number, kindId: number, first: number, end: number): number | undefined {
    return this.jobs.preferWorker(jobId, kindId, first, end);
  }

  afterJobs(batch: JobBatch, jobs: number): void {
    this.jobs.afterJobs(batch, jobs);
  }

  partitions(): PartitionStats[] {
    return this.tree?.partitions() ?? [];
  }

  bounds(): SpatialBounds | undefined {
    return this.worldBox;
  }

  adoptBounds(bounds: SpatialBounds): void {
    this.worldBox = { min: [...bounds.min] as unknown as Vec3Tuple, max: [...bounds.max] as unknown as Vec3Tuple };
    this.tree = undefined; // rebuilt on the stored box at the next rebuild
  }

  stats(): SpatialStats {
    return { strategy: 'adaptive-octree', partitions: this.tree?.partitionCount ?? 0, ...this.counters, outside: this.outsideCount, partitionJobs: this.jobs.placed };
  }

  /**
   * Moves every indexed kind's actors into Morton order (spatialOrder.ts), then renames the ids
   * the index holds to match: the tree's (`renumber`), each id's state, the outside list and the
   * id → ref map. The tree's shape does not change, so neither do the partitions.
   */
  private sortInSpace(stores: readonly KindStore[]): void {
    const began = performance.now();
    const tree = this.tree!;
    if (this.newIdOf.length !== this.state.length) this.newIdOf = new Int32Array(this.state.length);
    const newIdOf = this.newIdOf.fill(-1);
    const state = this.state;
    stores.forEach((store, kindId) => {
      const column = this.columns[kindId]!;
      if (column < 0) return;
      const base = this.bases[kindId]!;
      const before = state.slice(base, base + this.high[kindId]!);
      const order = sortKindInSpace(store, column, this.worldBox!, this.sortScratch);
      // Slots [0, live) hold the sorted actors now, each with the index state it had; the rest are empty.
      for (let slot = 0; slot < order.length; slot++) {
        newIdOf[base + order[slot]!] = base + slot;
        state[base + slot] = before[order[slot]!]!;
      }
      state.fill(ABSENT, base + order.length, base + before.length);
      this.high[kindId] = store.highWater;
      this.refreshRefs(store, kindId, base);
    });
    tree.renumber(newIdOf);
    for (let e = 0; e < this.outsideCount * 4; e += 4) this.outside[e] = newIdOf[this.outside[e]!]!;
    this.counters.sorts++;
    this.counters.sortMs = performance.now() - began;
  }

  /** `refs` of a kind's slots, read from the pages (after its actors moved). */
  private refreshRefs(store: KindStore, kindId: number, base: number): void {
    const pageSize = store.layout.pageSize;
    for (let p = 0; p < store.usedPages; p++) {
      const { handle, generation } = store.page(p);
      const first = p * pageSize;
      const end = Math.min(pageSize, store.highWater - first);
      for (let o = 0; o < end; o++) this.refs[base + first + o] = makeRef(kindId, handle[o]!, generation[o]!);
    }
  }

  private columnOf(store: KindStore): number {
    return store.layout.columns.findIndex((c) => c.name === 'position' && c.spec.kind === 'vec3');
  }

  /** A new, larger octree in the same buffer: every kind's range fits its high-water mark. */
  private recreate(stores: readonly KindStore[]): void {
    this.columns = stores.map((s) => this.columnOf(s));
    this.caps = stores.map((s, k) => (this.columns[k]! < 0 ? 0 : Math.max(1024, 2 ** Math.ceil(Math.log2(Math.max(1, s.highWater))))));
    this.bases = [];
    let total = 0;
    for (const cap of this.caps) {
      this.bases.push(total);
      total += cap;
    }
    this.worldBox ??= this.options.bounds ?? extentOf(stores, this.columns);
    const options: OctreeOptions = { capacity: Math.max(1, total), bounds: this.worldBox, splitAbove: this.options.splitAbove ?? 512, ...(this.options.mergeBelow !== undefined ? { mergeBelow: this.options.mergeBelow } : {}) };
    ensureBytes(this.buffers.tree, octreeByteLength(options));
    this.tree = createOctree({ ...options, buffer: this.buffers.tree });
    this.state = new Uint8Array(total);
    this.positions = new Float64Array(total * 3);
    this.pending = new Int32Array(total);
    this.high = stores.map(() => 0);
    ensureBytes(this.buffers.refs, total * 8);
    this.refs = f64(this.buffers.refs);
    this.epoch++;
  }

  /** One pass over every position: gather by id, note inserts, remove the dead and the outside. */
  private sync(stores: readonly KindStore[]): void {
    const tree = this.tree!;
    const { state, positions, pending, refs } = this;
    const [lx, ly, lz] = this.worldBox!.min;
    const [hx, hy, hz] = this.worldBox!.max;
    let inserts = 0;
    this.outsideCount = 0;
    for (let kindId = 0; kindId < stores.length; kindId++) {
      const store = stores[kindId]!;
      const column = this.columns[kindId]!;
      if (column < 0) continue;
      const base = this.bases[kindId]!;
      const pageSize = store.layout.pageSize;
      for (let p = 0; p < store.usedPages; p++) {
        const page = store.page(p);
        const xyz = page.columns[column]!;
        const alive = page.alive;
        const first = p * pageSize;
        const end = Math.min(pageSize, store.highWater - first);
        for (let o = 0; o < end; o++) {
          const id = base + first + o;
          if (alive[o] !== 1) {
            if (state[id] === INSIDE) tree.remove(id);
            state[id] = ABSENT;
            continue;
          }
          const x = xyz[o * 3]!, y = xyz[o * 3 + 1]!, z = xyz[o * 3 + 2]!;
          positions[id * 3] = x;
          positions[id * 3 + 1] = y;
          positions[id * 3 + 2] = z;
          refs[id] = makeRef(kindId, page.handle[o]!, page.generation[o]!);
          if (x >= lx && x <= hx && y >= ly && y <= hy && z >= lz && z <= hz) {
            if (state[id] !== INSIDE) {
              pending[inserts++] = id;
              state[id] = INSIDE;
            }
          } else {
            if (state[id] === INSIDE) tree.remove(id);
            state[id] = OUTSIDE;
            this.pushOutside(id, x, y, z);
          }
        }
      }
      // Slots past the high-water mark (after a rewind) hold no actor any more.
      for (let slot = store.highWater; slot < this.high[kindId]!; slot++) {
        if (state[base + slot] === INSIDE) tree.remove(base + slot);
        state[base + slot] = ABSENT;
      }
      this.high[kindId] = store.highWater;
    }
    if (inserts > 0) tree.insertMany(positions, inserts, pending);
  }

  private pushOutside(id: number, x: number, y: number, z: number): void {
    const at = this.outsideCount++ * 4;
    if (at + 4 > this.outside.length) {
      ensureBytes(this.buffers.outside, (at + 4) * 8);
      this.outside = f64(this.buffers.outside);
    }
    this.outside[at] = id;
    this.outside[at + 1] = x;
    this.outside[at + 2] = y;
    this.outside[at + 3] = z;
  }
}

/** The live actors' extent, padded by a quarter of its largest side (at least 1) on every face. */
function extentOf(stores: readonly KindStore[], columns: readonly number[]): { min: Vec3Tuple; max: Vec3Tuple } {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  stores.forEach((store, k) => {
    const column = columns[k]!;
    if (column < 0) return;
    for (let p = 0; p < store.usedPages; p++) {
      const page = store.page(p);
      const xyz = page.columns[column]!;
      const end = Math.min(store.layout.pageSize, store.highWater - p * store.layout.pageSize);
      for (let o = 0; o < end; o++) {
        if (page.alive[o] !== 1) continue;
        for (let a = 0; a < 3; a++) {
          const v = xyz[o * 3 + a]!;
          if (!Number.isFinite(v)) continue;
          if (v < lo[a]!) lo[a] = v;
          if (v > hi[a]!) hi[a] = v;
        }
      }
    }
  });
  for (let a = 0; a < 3; a++) {
    if (lo[a]! <= hi[a]!) continue;
    lo[a] = 0; // no finite position on this axis: a box around the origin
    hi[a] = 0;
  }
  const pad = Math.max(1, 0.25 * Math.max(hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!));
  return { min: [lo[0]! - pad, lo[1]! - pad, lo[2]! - pad], max: [hi[0]! + pad, hi[1]! + pad, hi[2]! + pad] };
}
