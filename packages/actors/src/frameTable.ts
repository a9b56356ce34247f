/**
 * Copy-on-write page frames. A kind's buffer holds *frames*; a shared page table says which frame
 * holds each logical page now. A sealed tick keeps a copy of the table (a `KindSeal`) and holds a
 * reference on every frame in it; a frame with a reference is never written again. Before a job
 * writes page p of a sealed frame, the main thread has reserved a fresh frame for it
 * (`prepareWrites`), and the job copies the page there and points the table at the copy
 * (`claimWrites`) — in the worker, in parallel, while the page is about to be read anyway.
 * Rewinding puts a sealed table back: a copy of one int per page, no actor data moves.
 *
 * Threads: the table is shared. Reference counts, the free list and `prepareWrites` belong to the
 * thread that owns the store (the engine's main thread); `claimWrites` runs in the job that owns
 * pages [first, end), so no two threads write one table entry.
 *
 * Table layout (Int32 words of one SharedArrayBuffer): [0, maxPages) frame of page p;
 * [maxPages, 2·maxPages) the frame reserved for page p's next write, plus one (0: none).
 */

import type { HandleSeal } from './handleTable.js';

/** A kind's state at a tick boundary. Immutable; shares frames with the live store and other seals. */
export interface KindSeal {
  /** The handle → slot map (handleTable.ts), sealed the same way. */
  readonly handles: HandleSeal;
  /** Frame of each used page. */
  readonly frames: Int32Array;
  readonly highWater: number;
  readonly live: number;
  /** Free slots (LIFO: the last is reused first). Shared between seals while unchanged. */
  readonly freeSlots: readonly number[];
}

export class FrameRefs {
  /** Seals holding each frame. */
  private refs = new Int32Array(64);
  private readonly free: number[] = [];
  /** Frames ever made (the buffer holds this many). */
  made = 0;

  isShared(frame: number): boolean {
    return frame < this.refs.length && this.refs[frame]! > 0;
  }

  /** A free frame, or -1 when a new one must be made (`adopt` then). */
  take(): number {
    return this.free.length > 0 ? this.free.pop()! : -1;
  }

  /** Records a newly made frame. */
  adopt(): number {
    const frame = this.made++;
    if (frame >= this.refs.length) {
      const grown = new Int32Array(this.refs.length * 2);
      grown.set(this.refs);
      this.refs = grown;
    }
    return frame;
  }

  /** Returns a frame nobody uses any more. */
  recycle(frame: number): void {
    this.free.push(frame);
  }

  hold(frames: Int32Array): void {
    for (let i = 0; i < frames.length; i++) this.refs[frames[i]!]!++;
  }

  /** Drops a seal's references; `isLive(page, frame)` keeps frames the live table still uses. */
  drop(frames: Int32Array, isLive: (page: number, frame: number) => boolean): void {
    for (let page = 0; page < frames.length; page++) {
      const frame = frames[page]!;
      if (--this.refs[frame]! === 0 && !isLive(page, frame)) this.free.push(frame);
    }
  }

  /** Frames on the free list (for memory accounting). */
  get freeCount(): number {
    return this.free.length;
  }
}
