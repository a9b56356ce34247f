/**
 * The main thread's side of the neighbour index on the adaptive octree (octreeIndexReader.ts is
 * the workers' side). At each boundary, after the spawns and despawns, `OctreeIndexWriter.rebuild`
 * reads slot by slot only the pages whose membership changed (inserts, removals, refs), then the
 * octree's `update` reads every position where it lies, in the pages (positionSource.ts),
 * re-buckets the actors that left their leaf and evicts those that left the world box, and
 * `rebalance` splits and merges. Readers see copies of the positions: those of the last boundary.
 *
 * Ids: kind-major, `id = base[kind] + slot`, each kind owning a power-of-two range; a kind that
 * outgrows its range makes the writer build a larger octree in the same growable buffer and bump
 * the epoch, on which readers re-attach. `refs[id]` (Float64) maps an id back to its ref.
 * Actors outside the world box are kept out of the octree and listed in `outside` as
 * (id, x, y, z); every query scans that list, so results stay exact wherever actors go.
 */
import { makeRef, type KindStore } from '@concurrengine/actors';
import { createOctree, octreeByteLength, type Octree, type OctreeOptions, type Vec3Tuple } from '@concurrengine/octree';
import type { JobBatch } from '@concurrengine/scheduler';

import { IndexPassPlan } from './indexPassPlan.js';
import { C_EPOCH, C_OUTSIDE, f64, type OctreeIndexBuffers } from './octreeIndexReader.js';
import { PartitionJobs } from './partitionJobs.js';
import { PositionSource } from './positionSource.js';
import { SpatialSortScratch, sortKindInSpace, sortStepWindow, sortWindowInSpace } from './spatialOrder.js';
import { ensureBytes } from './sharedGrowth.js';
import { extentOf } from './worldExtent.js';
import { RenameScratch, renameWindow } from './renameWindow.js';
import { DEFAULT_REORDER_EVERY, DEFAULT_SPLIT_ABOVE, type AdaptiveOctreeSpatial } from './options.js';
import type { SpatialBounds, SpatialPartition, SpatialStats, SpatialWriter } from './ports.js';

export { allocateOctreeIndex, OctreeIndexReader, type OctreeIndexBuffers } from './octreeIndexReader.js';

/**
 * A derived world box is derived again when more actors with finite positions are outside it
 * than 1/2^REFIT_SHIFT of those inside (and at least REFIT_LEAST), padded by REFIT_PAD × its
 * largest side: actors that spread from one point (the brief's example starts them all at the
 * origin) would otherwise end up in the outside list, which every query scans. Actors at NaN or
 * infinity do not count: no box takes them in, so they would refit every boundary. Each refit
 * rebuilds the octree and sorts the actors (0.4–0.55 s at 1M); the pad keeps a steadily spreading
 * world to a few of them.
 */
const REFIT_SHIFT = 3;
const REFIT_LEAST = 64;
const REFIT_PAD = 1;

/**
 * Actors (of each indexed kind) one sort step moves, about: 4 pages of 4096. At 1M actors a step
 * costs ~2–4 ms at its boundary and the re-read of its pages ~1 ms at the next, against a whole
 * sort's 200–300 ms stall; a sweep over 1M takes ~120 steps.
 */
const SORT_STEP_ACTORS = 16_384;

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
  /** Of those, with a finite position: only they can be brought inside by deriving the box again. */
  private outsideFinite = 0;
  private readonly counters = { splits: 0, merges: 0, crossings: 0, updateMs: 0, sorts: 0, sortMs: 0, refits: 0, passes: 0, passMs: 0 };
  private newIdOf = new Int32Array(0);
  private readonly source = new PositionSource();
  /** Per kind, per page: the membership stamp the last boundary read (KindStore.membershipStamp). */
  private seen: Float64Array[] = [];
  private readonly sortScratch = new SpatialSortScratch();
  /** A sort step's renaming scratch, reused. */
  private readonly stepScratch = new RenameScratch();
  private readonly jobs: PartitionJobs;
  /** This tick's index pass, planned before the jobs and used by the boundary's rebuild. */
  private readonly pass: IndexPassPlan;

  /**
   * `stepActors`: about how many actors of a kind one sort step moves (its window: that many
   * actors' worth of whole pages, at least 2). A parameter for tests, which need windows smaller
   * than their worlds; the strategy uses the default.
   */
  constructor(
    private readonly buffers: OctreeIndexBuffers,
    private readonly options: AdaptiveOctreeSpatial,
    private readonly stepActors = SORT_STEP_ACTORS,
  ) {
    this.control = new Int32Array(buffers.control);
    this.jobs = new PartitionJobs(new Float64Array(buffers.jobTimes));
    this.pass = new IndexPassPlan(buffers);
  }

  /**
   * Plans this tick's index pass (octreeIndexPass.ts) for the jobs of `batch` (cut, not yet run):
   * each job of an indexed kind passes its own pages after its handlers. No pass (every kind's
   * plan column -1) when there is no tree yet, a kind outgrew its id range (the boundary builds a
   * new tree), a kind's positions are not f64, or there are more than MAX_PASS_JOBS jobs.
   */
  planIndexPass(stores: readonly KindStore[], batch: JobBatch, jobs: number): void {
    const tree = this.tree;
    const ready = tree && !stores.some((s, k) => this.columnOf(s) >= 0 && s.highWater > (this.caps[k] ?? 0)) && this.source.refresh(stores, this.columns, this.bases, this.caps);
    if (ready) this.pass.plan(stores, batch, jobs, { bases: this.bases, columns: this.columns }, this.epoch);
    else this.pass.cancel(stores.length);
  }

  rebuild(stores: readonly KindStore[], tick?: number): void {
    const began = performance.now();
    // Only a tick's own boundary may use that tick's pass: a rebuild between ticks (a restore, a
    // rewind, a recovery after a tick that threw) reads everything.
    if (tick === undefined) this.pass.take(-1);
    if (!this.tree || stores.some((s, k) => this.columnOf(s) >= 0 && s.highWater > (this.caps[k] ?? 0))) this.recreate(stores);
    this.bringUpToDate(stores);
    let refit = false;
    if (!this.options.bounds && this.outsideFinite > Math.max(REFIT_LEAST, this.tree!.size >> REFIT_SHIFT)) {
      // The world outgrew a box derived from it ("auto"): derive it again, with room to grow.
      // Decided from this boundary's positions alone, so a replay decides alike.
      this.worldBox = extentOf(stores, this.columns, REFIT_PAD);
      this.recreate(stores);
      this.bringUpToDate(stores);
      this.counters.refits++;
      refit = true;
    }
    const tree = this.tree!;
    for (const event of tree.rebalance()) {
      if (event.type === 'split') this.counters.splits++;
      else this.counters.merges++;
    }
    const every = this.options.reorderEvery ?? DEFAULT_REORDER_EVERY;
    // The first boundary sorts the whole world (spawned in any order, it runs sorted from tick 1),
    // and so does a refit (a new tree); from then on a bounded step every `every` ticks.
    const sorted = tick !== undefined && every > 0 && (tick === 1 || refit);
    if (sorted) this.sortInSpace(stores);
    else if (tick !== undefined && every > 0 && tick % every === 0) this.sortStep(stores, tick / every);
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

  partitions(): SpatialPartition[] {
    return this.tree?.partitions() ?? [];
  }

  bounds(): SpatialBounds | undefined {
    return this.worldBox;
  }

  adoptBounds(bounds: SpatialBounds): void {
    this.worldBox = { min: [...bounds.min] as unknown as Vec3Tuple, max: [...bounds.max] as unknown as Vec3Tuple };
    this.tree = undefined; // rebuilt on the stored box at the next rebuild
    this.pass.take(-1);
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
      // The sort touched every page's membership stamp, but the index now matches the new slots
      // (ids, states, refs renamed above): mark them seen, or the next boundary would read and
      // relink every indexed actor (~60 ms at 1M) to learn nothing.
      const seen = this.seenStamps(kindId, store.usedPages);
      for (let p = 0; p < store.usedPages; p++) seen[p] = store.membershipStamp(p);
    });
    tree.renumber(newIdOf);
    for (let e = 0; e < this.outsideCount * 4; e += 4) this.outside[e] = newIdOf[this.outside[e]!]!;
    this.counters.sorts++;
    this.counters.sortMs = performance.now() - began;
  }

  /**
   * One bounded step of the spatial sort: per indexed kind, the live actors of a window of pages
   * (`stepActors` actors' worth) sorted in place (spatialOrder.ts), and the index renamed to match
   * as a whole sort renames it, for those ids only (the tree's `renumberSome`, each id's state, the
   * outside list, the refs): no point moves in the tree. O(window).
   */
  private sortStep(stores: readonly KindStore[], step: number): void {
    const began = performance.now();
    const tree = this.tree!;
    stores.forEach((store, kindId) => {
      const column = this.columns[kindId]!;
      if (column < 0 || store.usedPages === 0) return;
      const base = this.bases[kindId]!;
      const pageSize = store.layout.pageSize;
      const { first, end } = sortStepWindow(step, store.usedPages, Math.max(2, Math.ceil(this.stepActors / pageSize)));
      const { slots, order } = sortWindowInSpace(store, column, this.worldBox!, this.sortScratch, first, end);
      renameWindow(tree, this.state, this.outside, this.outsideCount, base, slots, order, this.stepScratch);
      this.refreshRefs(store, kindId, base, first, end);
      // Its pages' membership stamps moved, but the index matches them already.
      const seen = this.seenStamps(kindId, store.usedPages);
      for (let p = first; p < Math.min(end, store.usedPages); p++) seen[p] = store.membershipStamp(p);
    });
    this.counters.sorts++;
    this.counters.sortMs = performance.now() - began;
  }

  /**
   * Membership, then positions: the octree as of this boundary (refits and sorts aside). After a
   * complete index pass over this very tree, only the actors it listed are re-bucketed.
   */
  private bringUpToDate(stores: readonly KindStore[]): void {
    const passed = this.pass.take(this.epoch);
    const inPlace = this.source.refresh(stores, this.columns, this.bases, this.caps);
    const tree = this.tree!;
    if (passed && inPlace) {
      // The passes stored every actor that stayed in its leaf (in the copy queries read next);
      // the listed ones are re-bucketed first, then membership (which may move actors the passes
      // saw: a restart, a slot reused by a spawn) — no mutation may come between passes and swap.
      const { listed, count } = this.pass.gather();
      this.counters.crossings += tree.updateListed(this.source.chunked, listed, count, this.evicted);
      this.counters.passes++;
      this.counters.passMs = this.pass.ms();
      this.sync(stores, false, true);
      return;
    }
    this.sync(stores, !inPlace, false);
    this.counters.crossings += inPlace ? tree.update(this.source.chunked, this.evicted) : tree.update(this.positions);
  }

  /** `refs` of a kind's slots in pages [first, end) (all by default), read from the pages (after its actors moved). */
  private refreshRefs(store: KindStore, kindId: number, base: number, first = 0, end = store.usedPages): void {
    const pageSize = store.layout.pageSize;
    for (let p = first; p < Math.min(end, store.usedPages); p++) {
      const { handle, generation } = store.page(p);
      const at = p * pageSize;
      const count = Math.min(pageSize, store.highWater - at);
      for (let o = 0; o < count; o++) this.refs[base + at + o] = makeRef(kindId, handle[o]!, generation[o]!);
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
    const options: OctreeOptions = { capacity: Math.max(1, total), bounds: this.worldBox, splitAbove: this.options.splitAbove ?? DEFAULT_SPLIT_ABOVE, ...(this.options.mergeBelow !== undefined ? { mergeBelow: this.options.mergeBelow } : {}) };
    ensureBytes(this.buffers.tree, octreeByteLength(options));
    this.tree = createOctree({ ...options, buffer: this.buffers.tree });
    this.state = new Uint8Array(total);
    this.positions = new Float64Array(total * 3);
    this.pending = new Int32Array(total);
    this.high = stores.map(() => 0);
    this.seen = [];
    this.outsideCount = 0;
    this.outsideFinite = 0;
    ensureBytes(this.buffers.refs, total * 8);
    ensureBytes(this.buffers.listed, total * 4);
    this.refs = f64(this.buffers.refs);
    this.epoch++;
  }

  /**
   * Brings membership up to date: inserts, removes the dead, keeps the outside list. With
   * `everyPage` false, only pages whose membership stamp moved since the last boundary are read
   * slot by slot; an indexed actor elsewhere that left the world box is evicted by `update`
   * (`evict`), and a listed outside actor elsewhere is looked at again here. With `everyPage`
   * (a kind's position column is not f64, so `update` reads this gather instead of the pages),
   * every slot is read and every position gathered by id. With `relink` (after an index pass,
   * which saw the pages before the boundary's effects), an indexed actor in a changed page is
   * moved to where it is now: a restart reset it, or a spawn reused the slot of one that died.
   */
  private sync(stores: readonly KindStore[], everyPage: boolean, relink: boolean): void {
    const tree = this.tree!;
    const { state, positions, pending, refs } = this;
    const [lx, ly, lz] = this.worldBox!.min;
    const [hx, hy, hz] = this.worldBox!.max;
    let inserts = 0;
    const insert = (id: number, x: number, y: number, z: number): void => {
      pending[inserts++] = id;
      state[id] = INSIDE;
      positions[id * 3] = x;
      positions[id * 3 + 1] = y;
      positions[id * 3 + 2] = z;
    };
    // The outside list of the last boundary, compacted in place: an actor in an unchanged page is
    // still alive there; it re-enters the octree once its position is back in the box.
    const listed = this.outsideCount;
    this.outsideCount = 0;
    this.outsideFinite = 0;
    for (let e = 0; e < listed; e++) {
      const id = this.outside[e * 4]!;
      const kindId = this.kindOfId(id);
      const store = stores[kindId]!;
      const slot = id - this.bases[kindId]!;
      const p = slot >> Math.log2(store.layout.pageSize);
      if (everyPage || slot >= store.highWater || store.membershipStamp(p) !== this.seen[kindId]![p]) continue; // read below
      const o = (slot & (store.layout.pageSize - 1)) * 3;
      const xyz = store.page(p).columns[this.columns[kindId]!]!;
      const x = xyz[o]!, y = xyz[o + 1]!, z = xyz[o + 2]!;
      if (x >= lx && x <= hx && y >= ly && y <= hy && z >= lz && z <= hz) insert(id, x, y, z);
      else this.pushOutside(id, x, y, z);
    }
    for (let kindId = 0; kindId < stores.length; kindId++) {
      const store = stores[kindId]!;
      const column = this.columns[kindId]!;
      if (column < 0) continue;
      const base = this.bases[kindId]!;
      const pageSize = store.layout.pageSize;
      const seen = this.seenStamps(kindId, store.usedPages);
      for (let p = 0; p < store.usedPages; p++) {
        const stamp = store.membershipStamp(p);
        if (!everyPage && stamp === seen[p]) continue;
        seen[p] = stamp;
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
          if (everyPage) {
            positions[id * 3] = x;
            positions[id * 3 + 1] = y;
            positions[id * 3 + 2] = z;
          }
          refs[id] = makeRef(kindId, page.handle[o]!, page.generation[o]!);
          if (x >= lx && x <= hx && y >= ly && y <= hy && z >= lz && z <= hz) {
            if (state[id] !== INSIDE) insert(id, x, y, z);
            else if (relink) {
              // After a pass, which saw this page before the boundary's effects: put it where it is now.
              const before = tree.partitionOf(id);
              tree.move(id, x, y, z);
              if (tree.partitionOf(id) !== before) this.counters.crossings++;
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

  /** `update` took an actor out of the octree: it left the world box (or its position is NaN). */
  private readonly evicted = (id: number, x: number, y: number, z: number): void => {
    this.state[id] = OUTSIDE;
    this.pushOutside(id, x, y, z);
  };

  /** The membership stamps of a kind's pages as of the last boundary (-1: never read). */
  private seenStamps(kindId: number, pages: number): Float64Array {
    let seen = this.seen[kindId];
    if (!seen || seen.length < pages) {
      const grown = new Float64Array(Math.max(pages, 2 * (seen?.length ?? 0))).fill(-1);
      if (seen) grown.set(seen);
      this.seen[kindId] = seen = grown;
    }
    return seen;
  }

  /** The kind whose id range holds `id` (kinds are few: a scan). */
  private kindOfId(id: number): number {
    let kindId = 0;
    while (kindId + 1 < this.bases.length && id >= this.bases[kindId + 1]!) kindId++;
    return kindId;
  }

  private pushOutside(id: number, x: number, y: number, z: number): void {
    const at = this.outsideCount++ * 4;
    if (at + 4 > this.outside.length) {
      ensureBytes(this.buffers.outside, (at + 4) * 8);
      this.outside = f64(this.buffers.outside);
    }
    if (Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z)) this.outsideFinite++;
    this.outside[at] = id;
    this.outside[at + 1] = x;
    this.outside[at + 2] = y;
    this.outside[at + 3] = z;
  }
}
