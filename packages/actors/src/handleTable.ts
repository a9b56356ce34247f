/**
 * Stable handles over movable slots. A ref names a *handle* (ref.ts packs it where the slot used
 * to be) and this table says which slot holds that handle's actor now, so a store may move its
 * actors (`KindStore.reorder`, a spatial sort) without invalidating a single ref. Until a store
 * moves an actor, every handle equals its slot.
 *
 * Entries live in copy-on-write frames of their own (pageTable.ts, one int per handle, pages of
 * the kind's page size): a sealed tick holds the map the way it holds the actors' pages, by one
 * int per page, and a rewind puts it back without copying.
 *
 * Entry of handle h: ≥ 0, the slot of its actor (alive or suspended); < 0, a free handle, and
 * −(g + 1) is the generation g its next actor gets (refs of earlier ones are then stale).
 *
 * Threads: the map is shared; `slotOf` is safe anywhere between boundaries. Issuing, freeing,
 * moving, sealing and restoring belong to the store's owner thread.
 */
import { PageTable } from './pageTable.js';

/** A sealed map: frames of its pages, handles issued, free handles (LIFO). */
export interface HandleSeal {
  readonly frames: Int32Array;
  readonly high: number;
  readonly free: readonly number[];
}

/** What another thread needs to read the map. */
export interface HandleTableDescriptor {
  readonly buffer: SharedArrayBuffer;
  readonly table: SharedArrayBuffer;
}

/** The most bytes one map may take (4 bytes per handle, sealed copies included): 2^29 entries. */
const MAX_BUFFER_BYTES = 2 ** 31;

export class HandleTable {
  readonly pages: PageTable;
  /**
   * Every entry of every frame, as far as the buffer reached when the view was made. Fixed-length
   * and re-made when the buffer grew: on Node 20 a length-tracking view of a growable
   * SharedArrayBuffer reads 3–7× slower (measured), and `slotOf` runs for every message.
   */
  private entries: Int32Array;
  private readonly shift: number;
  private readonly mask: number;
  private free: number[] = [];
  /** Whether `free` is shared with a seal (copied before the next change). */
  private freeSealed = false;
  /**
   * Within a run of `pointRun`s: the map's pages made writable so far (1), so that a run that
   * points a few handles (a sort step) copies only their pages out of a seal, and a run over all
   * of them (a whole sort) checks each page once.
   */
  private writableInRun = new Uint8Array(0);

  constructor(
    pageSize: number,
    maxHandles: number,
    /** Shared word holding the handles issued (workers read it to bound `slotOf`). */
    private readonly highWord: Int32Array,
    private readonly highIndex: number,
    owner: string,
    attach?: HandleTableDescriptor,
  ) {
    this.shift = Math.log2(pageSize);
    this.mask = pageSize - 1;
    const pageBytes = pageSize * 4;
    const maxPages = Math.ceil(maxHandles / pageSize);
    // Frames beyond one per page hold sealed ticks: reserve what one buffer may (address space
    // only), as the kind's own buffer does, so a store reserved for few actors runs out of page
    // frames no sooner than its actors' frames.
    const buffer = attach?.buffer ?? new SharedArrayBuffer(0, { maxByteLength: Math.floor(MAX_BUFFER_BYTES / pageBytes) * pageBytes });
    const table = attach?.table ?? new SharedArrayBuffer(maxPages * 2 * 4);
    this.pages = new PageTable(buffer, table, pageBytes, `${owner}'s handle map`);
    this.entries = new Int32Array(buffer, 0, buffer.byteLength / 4);
  }

  /** `entries`, re-made if the buffer grew (here or in another thread) past it. */
  private viewTo(index: number): Int32Array {
    if (index >= this.entries.length) this.entries = new Int32Array(this.pages.buffer, 0, this.pages.buffer.byteLength / 4);
    return this.entries;
  }

  describe(): HandleTableDescriptor {
    return { buffer: this.pages.buffer, table: this.pages.table.buffer as SharedArrayBuffer };
  }

  /** Handles ever issued: every handle in [0, high) is live or free. */
  get high(): number {
    return Atomics.load(this.highWord, this.highIndex);
  }

  /** The slot of handle `h`'s actor, or a negative number when `h` is free or was never issued. */
  slotOf(h: number): number {
    // A plain read: the count changes only between ticks, and the tick barrier orders it (an
    // Atomics.load per message measured in the message benchmark).
    if (h >= this.highWord[this.highIndex]!) return -1;
    const at = (this.pages.table[h >>> this.shift]! << this.shift) | (h & this.mask);
    return this.viewTo(at)[at]!;
  }

  /** The same lookup in a sealed map. */
  sealedSlotOf(seal: HandleSeal, h: number): number {
    if (h >= seal.high) return -1;
    const at = (seal.frames[h >>> this.shift]! << this.shift) | (h & this.mask);
    return this.viewTo(at)[at]!;
  }

  /** A handle for a new actor in `slot` (a freed one first, LIFO) and the generation its ref carries. Owner thread. */
  issue(slot: number): { readonly handle: number; readonly generation: number } {
    let handle: number;
    let generation = 0;
    if (this.free.length > 0) {
      handle = this.ownFree().pop()!;
      generation = -this.slotOf(handle) - 1;
    } else {
      handle = this.high;
      if ((handle & this.mask) === 0) this.pages.addPage(handle >>> this.shift);
      Atomics.store(this.highWord, this.highIndex, handle + 1);
    }
    this.set(handle, slot);
    return { handle, generation };
  }

  /** Frees `h`: its next actor gets `nextGeneration`. Owner thread. */
  release(h: number, nextGeneration: number): void {
    this.set(h, -nextGeneration - 1);
    this.ownFree().push(h);
  }

  /** Points live handle `h` at `slot` (its actor moved). Owner thread. */
  set(h: number, value: number): void {
    const page = h >>> this.shift;
    this.pages.writable(page);
    const at = (this.pages.table[page]! << this.shift) | (h & this.mask);
    this.viewTo(at)[at] = value;
  }

  /**
   * Points handle `handles[i]` at slot `first + i`, for i < count: a page of actors that moved
   * (`KindStore.reorder`). The map's pages are made writable once, not per handle. Owner thread.
   */
  pointRun(handles: Int32Array, first: number, count: number): void {
    this.makeWritable(handles, count);
    const table = this.pages.table;
    const shift = this.shift, mask = this.mask;
    const entries = this.viewTo(this.pages.buffer.byteLength / 4 - 1);
    for (let i = 0; i < count; i++) {
      const h = handles[i]!;
      entries[(table[h >>> shift]! << shift) | (h & mask)] = first + i;
    }
  }

  /**
   * Makes the map's pages holding `handles[0 .. count)` writable (copied out of any seal) for the
   * run in progress: a caller that must not fail half-way (a reorder) calls it before it moves
   * anything, so that the `pointRun`s after cannot throw. Owner thread.
   */
  makeWritable(handles: Int32Array, count: number): void {
    const pages = this.usedPages;
    if (this.writableInRun.length < pages) {
      const grown = new Uint8Array(Math.max(pages, this.writableInRun.length * 2));
      grown.set(this.writableInRun);
      this.writableInRun = grown;
    }
    const writable = this.writableInRun;
    const shift = this.shift;
    for (let i = 0; i < count; i++) {
      const page = handles[i]! >>> shift;
      if (writable[page] === 0) {
        this.pages.writable(page);
        writable[page] = 1;
      }
    }
  }

  /** Ends a run of `pointRun`s: the next one checks the pages again (a seal may hold them by then). */
  endRuns(): void {
    this.writableInRun.fill(0);
  }

  private get usedPages(): number {
    return (this.high + this.mask) >>> this.shift;
  }

  seal(): HandleSeal {
    this.freeSealed = true;
    return Object.freeze({ frames: this.pages.seal(this.usedPages), high: this.high, free: this.free });
  }

  releaseSeal(seal: HandleSeal): void {
    this.pages.release(seal.frames);
  }

  restore(seal: HandleSeal): void {
    this.pages.restore(seal.frames, this.usedPages);
    Atomics.store(this.highWord, this.highIndex, seal.high);
    this.free = seal.free as number[];
    this.freeSealed = true;
  }

  /**
   * Rebuilds the map from stored state (a restore from disk): `high` handles, the free ones with
   * the generation each one's next actor gets, and every live actor's handle by slot. Owner thread.
   */
  load(high: number, free: readonly number[], freeGenerations: readonly number[], slotsOf: (visit: (handle: number, slot: number) => void) => void): void {
    const pages: Uint8Array[] = [];
    const pageSize = this.mask + 1;
    const words = new Int32Array(Math.ceil(high / pageSize) * pageSize);
    free.forEach((h, i) => (words[h] = -freeGenerations[i]! - 1));
    slotsOf((h, slot) => (words[h] = slot));
    for (let p = 0; p * pageSize < high; p++) pages.push(new Uint8Array(words.buffer, p * pageSize * 4, pageSize * 4));
    this.pages.load(pages, this.usedPages);
    Atomics.store(this.highWord, this.highIndex, high);
    this.free = [...free];
    this.freeSealed = false;
  }

  /** Free handles (LIFO) and the generation each one's next actor gets: what storage keeps. */
  freeHandles(): { readonly free: readonly number[]; readonly generations: readonly number[] } {
    return { free: [...this.free], generations: this.free.map((h) => -this.slotOf(h) - 1) };
  }

  /** The same for a sealed map. */
  sealedFreeHandles(seal: HandleSeal): { readonly free: readonly number[]; readonly generations: readonly number[] } {
    return { free: [...seal.free], generations: seal.free.map((h) => -this.sealedSlotOf(seal, h) - 1) };
  }

  private ownFree(): number[] {
    if (this.freeSealed) {
      this.free = this.free.slice();
      this.freeSealed = false;
    }
    return this.free;
  }
}
