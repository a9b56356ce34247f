/**
 * A kind's page table over its buffer of frames: which frame holds each page now, which frame is
 * reserved for a page's next write, and the pool of frames (frameTable.ts explains the scheme and
 * its threads). `KindStore` keeps the actors — slots, counts, free list, views — and asks this for
 * frames; everything that moves frames between pages, seals and the free list is here.
 */
import { ActorError } from './errors.js';
import { FrameRefs } from './frameTable.js';

export class PageTable {
  /** `table[p]`: frame of page p (-1: none); `table[maxPages + p]`: frame reserved for its next write, plus one. */
  readonly table: Int32Array;
  readonly maxPages: number;
  /** Every byte of the buffer (length-tracking: frames another thread added are in range). */
  private readonly bytes: Uint8Array;
  /** Owner thread only: who holds which frame. */
  private readonly refs = new FrameRefs();

  constructor(
    readonly buffer: SharedArrayBuffer,
    table: SharedArrayBuffer,
    readonly pageBytes: number,
    /** For errors: whose table this is. */
    private readonly owner: string,
  ) {
    this.table = new Int32Array(table);
    this.maxPages = this.table.length / 2;
    this.bytes = new Uint8Array(buffer);
  }

  /** The frames of pages [0, used), held until `release`: they are not written again meanwhile. */
  seal(used: number): Int32Array {
    const frames = this.table.slice(0, used);
    this.refs.hold(frames);
    return frames;
  }

  /** Lets go of sealed frames: those no seal and no live page uses become free. */
  release(frames: Int32Array): void {
    this.refs.drop(frames, (page, frame) => this.table[page] === frame);
  }

  /** Pages [0, used) become sealed `frames`: one int per page, no data moves. */
  restore(frames: Int32Array, used: number): void {
    this.replacePages(frames.length, used, (page) => frames[page]!);
  }

  /**
   * Fresh frames for `count` pages, to be filled and then put in place with `restore` (a whole
   * new layout of the pages: the old frames stay intact until then, and seals keep them after).
   */
  freshFrames(count: number): Int32Array {
    const frames = new Int32Array(count);
    for (let page = 0; page < count; page++) frames[page] = this.newFrame();
    return frames;
  }

  /** Pages [0, used) become the given page bytes, each copied into a frame no seal holds. */
  load(pages: readonly Uint8Array[], used: number): void {
    this.replacePages(pages.length, used, (page, current) => {
      const frame = current >= 0 && !this.refs.isShared(current) ? current : this.newFrame();
      this.bytes.set(pages[page]!, frame * this.pageBytes);
      return frame;
    });
  }

  /** Reserves a fresh frame for every page in [first, end) a seal holds. Owner thread, before the jobs. */
  prepareWrites(first: number, end: number): void {
    const reserved = this.maxPages;
    for (let page = first; page < end; page++) {
      if (this.table[reserved + page] === 0 && this.refs.isShared(this.table[page]!)) this.table[reserved + page] = this.newFrame() + 1;
    }
  }

  /** Copies every page in [first, end) with a reserved frame into it and points the table there. The job that owns the pages. */
  claimWrites(first: number, end: number): void {
    const reserved = this.maxPages;
    const pageBytes = this.pageBytes;
    for (let page = first; page < end; page++) {
      const to = this.table[reserved + page]!;
      if (to === 0) continue;
      const from = this.table[page]!;
      this.bytes.copyWithin((to - 1) * pageBytes, from * pageBytes, (from + 1) * pageBytes);
      this.table[page] = to - 1;
      this.table[reserved + page] = 0;
    }
  }

  /** Page `page` made writable on the owner thread: copied first if a seal holds its frame. */
  writable(page: number): void {
    if (!this.refs.isShared(this.table[page]!)) return;
    if (this.table[this.maxPages + page] === 0) this.table[this.maxPages + page] = this.newFrame() + 1;
    this.claimWrites(page, page + 1);
  }

  /**
   * Puts pages [first, end) back on sealed `frames` and reserves fresh frames for them again (the
   * pre-job copies of a job to redo). False if a page is newer than the seal.
   */
  revert(first: number, end: number, frames: Int32Array): boolean {
    if (end > frames.length) return false;
    for (let page = first; page < end; page++) {
      const sealed = frames[page]!;
      const current = this.table[page]!;
      if (current !== sealed) {
        // The job had claimed the page: its half-written copy goes back to the free list.
        if (!this.refs.isShared(current)) this.refs.recycle(current);
        this.table[page] = sealed;
      }
      if (this.table[this.maxPages + page] === 0) this.table[this.maxPages + page] = this.newFrame() + 1;
    }
    return true;
  }

  /** A new page at `page`, zeroed whichever frame it gets (a recycled frame then changes no state). */
  addPage(page: number): void {
    if (page >= this.maxPages) {
      throw new ActorError('ACTOR_CAPACITY', `${this.owner} is full: page ${page} is beyond the reserved ${this.maxPages} pages`);
    }
    const frame = this.newFrame();
    this.bytes.fill(0, frame * this.pageBytes, (frame + 1) * this.pageBytes);
    this.table[page] = frame;
  }

  /** The bytes of a frame: a view, valid while a seal holds the frame. */
  frameBytes(frame: number): Uint8Array {
    return new Uint8Array(this.buffer, frame * this.pageBytes, this.pageBytes);
  }

  /** Frames made (live, sealed and free) and free ones: memory held is `made × pageBytes`. */
  stats(): { readonly made: number; readonly free: number; readonly pageBytes: number } {
    return { made: this.refs.made, free: this.refs.freeCount, pageBytes: this.pageBytes };
  }

  /**
   * Pages [0, max(used, count)) get `frameFor(page, current)` (count of them) or none: reserved
   * frames and frames no longer used by a page or a seal go back to the free list.
   */
  private replacePages(count: number, used: number, frameFor: (page: number, current: number) => number): void {
    for (let page = 0; page < Math.max(used, count); page++) {
      const reserved = this.table[this.maxPages + page]!;
      if (reserved !== 0) {
        this.refs.recycle(reserved - 1);
        this.table[this.maxPages + page] = 0;
      }
      const current = page < used ? this.table[page]! : -1;
      const next = page < count ? frameFor(page, current) : -1;
      if (current >= 0 && current !== next && !this.refs.isShared(current)) this.refs.recycle(current);
      // -1: no page here (yet) — a frame that a later seal still holds is not live any more.
      this.table[page] = next;
    }
  }

  /** A free frame, or a new one at the end of the buffer. Owner thread. */
  private newFrame(): number {
    const free = this.refs.take();
    if (free >= 0) return free;
    const frame = this.refs.made;
    const needed = (frame + 1) * this.pageBytes;
    const buffer = this.buffer;
    if (needed > buffer.byteLength) {
      if (needed > buffer.maxByteLength) {
        throw new ActorError(
          'ACTOR_CAPACITY',
          `${this.owner} is full: ${frame + 1} page frames (its pages and the sealed ticks' copies) exceed the reserved ${buffer.maxByteLength / this.pageBytes}; retain fewer ticks or use fewer actors`,
        );
      }
      // Grow by half again at least, so a million spawns do not grow 245 times.
      buffer.grow(Math.min(buffer.maxByteLength, Math.max(needed, Math.ceil((buffer.byteLength * 1.5) / this.pageBytes) * this.pageBytes)));
    }
    return this.refs.adopt();
  }
}
