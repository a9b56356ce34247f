/**
 * The neighbour index: a hashed uniform grid over the positions as they stood at the end of the
 * previous tick. The main thread rebuilds it at each boundary (a counting sort, O(actors)) into
 * growable shared buffers; every thread answers `ctx.neighbours()` from it without messages.
 * Positions are copied, so handlers moving their own actor during the tick never change what
 * their neighbours see. The adaptive octree (octreeIndex.ts) is the other strategy behind the same
 * `NeighbourIndex`.
 *
 * Layout: header Int32[HEADER_WORDS] = [tableBits, count];
 * cells Int32[2^tableBits + 1] = start of each bucket in the entries;
 * entries Float64[count × 4] = (ref, x, y, z), grouped by bucket, in (kind, slot) order within one.
 */
import { makeRef, type ActorRef, type KindStore } from '@concurrengine/actors';

import { ensureBytes, growableBuffer } from './sharedGrowth.js';
import type { NeighbourIndex } from './ports.js';

const HEADER_WORDS = 2;

/** The shared buffers of a grid, sent to every thread once. */
export interface GridBuffers {
  readonly header: SharedArrayBuffer;
  readonly cells: SharedArrayBuffer;
  readonly entries: SharedArrayBuffer;
  readonly cellSize: number;
}

export function allocateGrid(cellSize: number): GridBuffers {
  return {
    header: new SharedArrayBuffer(HEADER_WORDS * 4),
    cells: growableBuffer(),
    entries: growableBuffer(),
    cellSize,
  };
}

function cellHash(ix: number, iy: number, iz: number, mask: number): number {
  return (Math.imul(ix, 73856093) ^ Math.imul(iy, 19349663) ^ Math.imul(iz, 83492791)) & mask;
}

/** Reads the grid (any thread). */
export class GridReader implements NeighbourIndex {
  protected readonly header: Int32Array;
  protected cells: Int32Array<ArrayBufferLike> = new Int32Array(0);
  protected entries: Float64Array<ArrayBufferLike> = new Float64Array(0);
  protected readonly inverse: number;

  constructor(protected readonly buffers: GridBuffers) {
    this.header = new Int32Array(buffers.header);
    this.inverse = 1 / buffers.cellSize;
  }

  query(center: { readonly x: number; readonly y: number; readonly z: number }, radius: number, out: ActorRef[]): number {
    out.length = 0;
    const bits = this.header[0]!;
    if (bits === 0 || !(radius >= 0)) return 0;
    this.refresh(bits);
    const mask = (1 << bits) - 1;
    const cells = this.cells;
    const entries = this.entries;
    const inv = this.inverse;
    const r2 = radius * radius;
    // The distance test below is in floating point (squares round and can underflow), so the cells
    // visited cover a hair more than the radius: every point that passes the test is visited.
    const reach = radius * (1 + 1e-12) + 1e-100;
    const x0 = Math.floor((center.x - reach) * inv), x1 = Math.floor((center.x + reach) * inv);
    const y0 = Math.floor((center.y - reach) * inv), y1 = Math.floor((center.y + reach) * inv);
    const z0 = Math.floor((center.z - reach) * inv), z1 = Math.floor((center.z + reach) * inv);
    const count = this.header[1]!;
    if ((x1 - x0 + 1) * (y1 - y0 + 1) * (z1 - z0 + 1) > count) {
      // A radius spanning more cells than there are actors: one pass over the actors is cheaper.
      for (let e = 0; e < count; e++) {
        const at = e * 4;
        const dx = entries[at + 1]! - center.x, dy = entries[at + 2]! - center.y, dz = entries[at + 3]! - center.z;
        if (dx * dx + dy * dy + dz * dz <= r2) out.push(entries[at]! as ActorRef);
      }
      return out.length;
    }
    for (let ix = x0; ix <= x1; ix++) {
      for (let iy = y0; iy <= y1; iy++) {
        for (let iz = z0; iz <= z1; iz++) {
          const bucket = cellHash(ix, iy, iz, mask);
          for (let e = cells[bucket]!; e < cells[bucket + 1]!; e++) {
            const at = e * 4;
            const x = entries[at + 1]!, y = entries[at + 2]!, z = entries[at + 3]!;
            // Buckets are shared by colliding cells: keep only entries of this cell, or a
            // bucket visited for two cells would report its entries twice.
            if (Math.floor(x * inv) !== ix || Math.floor(y * inv) !== iy || Math.floor(z * inv) !== iz) continue;
            const dx = x - center.x, dy = y - center.y, dz = z - center.z;
            if (dx * dx + dy * dy + dz * dz <= r2) out.push(entries[at]! as ActorRef);
          }
        }
      }
    }
    return out.length;
  }

  protected refresh(bits: number): void {
    const count = this.header[1]!;
    if (this.cells.length !== (1 << bits) + 1 || this.cells.buffer.byteLength !== this.buffers.cells.byteLength) {
      this.cells = new Int32Array(this.buffers.cells, 0, (1 << bits) + 1);
    }
    if (this.entries.length < count * 4 || this.entries.buffer.byteLength !== this.buffers.entries.byteLength) {
      this.entries = new Float64Array(this.buffers.entries, 0, this.buffers.entries.byteLength / 8);
    }
  }
}

/** Rebuilds the grid (main thread, between ticks). */
export class GridWriter extends GridReader {
  private bucketOf = new Int32Array(0);
  /** The entries in (kind, slot) order, before they are placed by bucket: read back in order. */
  private staged = new Float64Array(0);

  /**
   * Indexes every live actor of the stores that have a `position` vec3 field: one pass over the
   * pages computes each actor's bucket and stages its entry in order, a prefix sum places the
   * buckets, and a second pass moves the staged entries to their buckets (stable: (kind, slot)
   * order within one). Loops are written out: a callback per actor cost more than the work.
   */
  rebuild(stores: readonly KindStore[]): void {
    const count = stores.reduce((n, s) => n + (positionColumn(s) >= 0 ? s.liveCount : 0), 0);
    let bits = 4;
    while (1 << bits < count * 2) bits++;
    const size = 1 << bits;
    const mask = size - 1;
    ensureBytes(this.buffers.cells, (size + 1) * 4);
    ensureBytes(this.buffers.entries, Math.max(1, count) * 32);
    const cells = new Int32Array(this.buffers.cells, 0, size + 1);
    const entries = new Float64Array(this.buffers.entries, 0, Math.max(1, count) * 4);
    if (this.bucketOf.length < count) this.bucketOf = new Int32Array(count * 2);
    if (this.staged.length < count * 4) this.staged = new Float64Array(count * 8);
    const bucketOf = this.bucketOf;
    const staged = this.staged;
    const inv = this.inverse;
    cells.fill(0);
    let n = 0;
    for (const store of stores) {
      const column = positionColumn(store);
      if (column < 0) continue;
      const pageSize = store.layout.pageSize;
      const kindId = store.kindId;
      for (let p = 0; p < store.usedPages; p++) {
        const page = store.page(p);
        const xyz = page.columns[column]!;
        const alive = page.alive;
        const generation = page.generation;
        const handle = page.handle;
        const first = p * pageSize;
        const end = Math.min(pageSize, store.highWater - first);
        for (let o = 0; o < end; o++) {
          if (alive[o] !== 1) continue;
          const x = xyz[o * 3]!, y = xyz[o * 3 + 1]!, z = xyz[o * 3 + 2]!;
          const b = cellHash(Math.floor(x * inv), Math.floor(y * inv), Math.floor(z * inv), mask);
          bucketOf[n] = b;
          cells[b + 1]!++;
          const at = n * 4;
          // The handle, not the slot: they differ once a store moved its actors (a state recorded
          // with the octree's sorts and restored here).
          staged[at] = makeRef(kindId, handle[o]!, generation[o]!);
          staged[at + 1] = x;
          staged[at + 2] = y;
          staged[at + 3] = z;
          n++;
        }
      }
    }
    for (let b = 0; b < size; b++) cells[b + 1]! += cells[b]!;
    const fill = cells.slice(0, size);
    for (let e = 0; e < n; e++) {
      const from = e * 4;
      const to = fill[bucketOf[e]!]!++ * 4;
      entries[to] = staged[from]!;
      entries[to + 1] = staged[from + 1]!;
      entries[to + 2] = staged[from + 2]!;
      entries[to + 3] = staged[from + 3]!;
    }
    this.header[1] = n;
    Atomics.store(this.header, 0, bits);
  }
}

/** The store's `position` vec3 column, or -1. */
function positionColumn(store: KindStore): number {
  return store.layout.columns.findIndex((c) => c.name === 'position' && c.spec.kind === 'vec3');
}
