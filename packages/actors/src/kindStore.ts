/**
 * Paged structure-of-arrays storage of one actor kind. All page *frames* live in one growable
 * SharedArrayBuffer (frame f is bytes [f·pageBytes, (f+1)·pageBytes), laid out as layout.ts says);
 * a shared page table maps each logical page to its frame (frameTable.ts: copy-on-write for
 * sealed ticks), and the high-water mark lives in a small shared header. A worker attaches once
 * with `attachKindStore()` and then sees every frame the main thread adds without any message:
 * growth of a shared buffer is visible to every thread that holds it.
 *
 * Threads: spawn, despawn, seal and restore change the free lists and belong to one thread (the
 * engine's main thread, at the tick boundary); workers only read and write columns of live actors.
 */
import type { Schema } from './fields.js';
import { bindPage, CURSOR, type ActorInstance, type ActorKind } from './actorClass.js';
import { ActorError } from './errors.js';
import { columnView, LAYOUT_VERSION, type ColumnArray, type PageLayout } from './layout.js';
import { FrameRefs, type KindSeal } from './frameTable.js';
import { makeRef, MAX_GENERATION, MAX_SLOTS, refGeneration, refKind, refSlot, type ActorRef } from './ref.js';

/** One page's typed views (into the kind's one buffer). */
export interface Page {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly columns: readonly ColumnArray[];
  readonly alive: Uint8Array;
  readonly generation: Uint16Array;
}

/** What another thread needs to attach to a store: structured-cloneable, buffers shared not copied. */
export interface KindStoreDescriptor {
  readonly kindName: string;
  readonly kindId: number;
  readonly layout: PageLayout;
  /** Growable: every page frame of the kind. */
  readonly buffer: SharedArrayBuffer;
  /** Int32 words: HIGH_WATER, LIVE. */
  readonly header: SharedArrayBuffer;
  /** Int32 words: the frame of each page, then the frame reserved for its next write (+1). */
  readonly table: SharedArrayBuffer;
}

const HIGH_WATER = 0;
/** `alive` of an actor its supervisor took out of the ticks for a backoff (1: alive, 0: free). */
const SUSPENDED = 2;
const LIVE = 1;
const HEADER_WORDS = 2;

export interface KindStoreOptions {
  /** Most actors the kind may ever hold (reserves address space, not memory); default 2^24. */
  readonly maxActors?: number;
}

/** V8 refuses a growable SharedArrayBuffer over 4 GiB: the frames of one kind fit in that. */
const MAX_BUFFER_BYTES = 2 ** 32;

function frameViews(layout: PageLayout, buffer: SharedArrayBuffer, frame: number): Page {
  const byteOffset = frame * layout.pageBytes;
  return {
    buffer,
    byteOffset,
    columns: layout.columns.map((c) => columnView(buffer, { ...c, byteOffset: byteOffset + c.byteOffset })),
    alive: new Uint8Array(buffer, byteOffset + layout.aliveOffset, layout.pageSize),
    generation: new Uint16Array(buffer, byteOffset + layout.generationOffset, layout.pageSize),
  };
}

export class KindStore<I extends ActorInstance = ActorInstance> {
  /** This thread's views of the frames, made on first use. */
  private readonly views: Page[] = [];
  private readonly header: Int32Array;
  private readonly buffer: SharedArrayBuffer;
  /** The page table: `frameOf[p]` now, and `frameOf[maxPages + p]` reserved for p's next write (+1). */
  private readonly frameOf: Int32Array;
  private readonly maxPages: number;
  /** Every byte of the buffer (length-tracking), for copying frames. */
  private readonly bytes: Uint8Array;
  /** Owner thread only: who holds which frame. */
  private readonly frames = new FrameRefs();
  private freeSlots: number[] = [];
  /** Whether `freeSlots` is shared with a seal (copied before the next change). */
  private freeSlotsSealed = false;
  private readonly writer: I;
  private readonly shift: number;

  constructor(
    readonly kind: ActorKind<Schema, I>,
    readonly kindId: number,
    options: KindStoreOptions & { readonly attach?: KindStoreDescriptor } = {},
  ) {
    this.writer = new kind();
    this.shift = Math.log2(kind.layout.pageSize);
    const attach = options.attach;
    if (attach) {
      checkLayout(attach, kind.layout);
      this.buffer = attach.buffer;
      this.header = new Int32Array(attach.header);
      this.frameOf = new Int32Array(attach.table);
    } else {
      const maxActors = Math.min(options.maxActors ?? MAX_SLOTS, MAX_SLOTS);
      const maxPages = Math.ceil(maxActors / kind.layout.pageSize);
      // Frames beyond one per page hold sealed ticks: reserve what one buffer may (address space only).
      const maxFrames = Math.max(maxPages, Math.floor(MAX_BUFFER_BYTES / kind.layout.pageBytes) - 1);
      this.buffer = new SharedArrayBuffer(0, { maxByteLength: Math.min(maxFrames * kind.layout.pageBytes, MAX_BUFFER_BYTES - kind.layout.pageBytes) });
      this.header = new Int32Array(new SharedArrayBuffer(HEADER_WORDS * 4));
      this.frameOf = new Int32Array(new SharedArrayBuffer(maxPages * 2 * 4));
    }
    this.maxPages = this.frameOf.length / 2;
    this.bytes = new Uint8Array(this.buffer);
  }

  get layout(): PageLayout {
    return this.kind.layout;
  }

  /** Slots ever used: actors live in [0, highWater); dead slots inside are skipped. Shared. */
  get highWater(): number {
    return Atomics.load(this.header, HIGH_WATER);
  }

  /** Live actors. Shared. */
  get liveCount(): number {
    return Atomics.load(this.header, LIVE);
  }

  /** Page `index` as this thread's views of its current frame (the page must exist). */
  page(index: number): Page {
    const frame = this.frameOf[index]!;
    return this.views[frame] ?? this.makeView(frame, index);
  }

  /** Creates an actor with the schema's initial values, then `init` on it; returns its ref. */
  spawn(init?: (actor: I) => void): ActorRef {
    const reuse = this.freeSlots.length > 0;
    const slot = reuse ? this.ownFreeSlots().pop()! : this.highWater;
    const page = this.pageFor(slot);
    if (!reuse) Atomics.store(this.header, HIGH_WATER, slot + 1);
    const o = slot & (this.layout.pageSize - 1);
    this.layout.columns.forEach((column, k) => {
      const lanes = column.spec.lanes;
      for (let lane = 0; lane < lanes; lane++) page.columns[k]![o * lanes + lane] = column.spec.initial[lane]!;
    });
    page.alive[o] = 1;
    Atomics.add(this.header, LIVE, 1);
    if (init) {
      this.moveTo(this.writer, slot);
      init(this.writer);
    }
    return makeRef(this.kindId, slot, page.generation[o]!);
  }

  /** Spawns `count` actors; `init(actor, i)` sets each one up. */
  spawnMany(count: number, init?: (actor: I, i: number) => void): void {
    for (let i = 0; i < count; i++) this.spawn(init ? (a) => init(a, i) : undefined);
  }

  /** Removes an actor; its slot is reused (LIFO) with a new generation. False if it was not alive. */
  despawn(ref: ActorRef): boolean {
    if (!this.isAlive(ref)) return false;
    const slot = refSlot(ref);
    const page = this.writablePage(slot >>> this.shift);
    const o = slot & (this.layout.pageSize - 1);
    page.alive[o] = 0;
    page.generation[o] = (page.generation[o]! + 1) % MAX_GENERATION;
    Atomics.sub(this.header, LIVE, 1);
    this.ownFreeSlots().push(slot);
    return true;
  }

  /** Whether `ref` names a live actor of this kind (a stale generation is not alive). */
  isAlive(ref: ActorRef): boolean {
    if (refKind(ref) !== this.kindId) return false;
    const slot = refSlot(ref);
    if (slot >= this.highWater) return false;
    const page = this.page(slot >>> this.shift);
    const o = slot & (this.layout.pageSize - 1);
    return page.alive[o] === 1 && page.generation[o] === refGeneration(ref);
  }

  /** The ref of the actor in `slot` (alive or not). */
  refAt(slot: number): ActorRef {
    const page = this.page(slot >>> this.shift);
    return makeRef(this.kindId, slot, page.generation[slot & (this.layout.pageSize - 1)]!);
  }

  /**
   * Positions a flyweight of this kind on `slot` (for reads and writes outside the runner). The
   * page is made writable first (a sealed frame is copied), and the binding holds until the next
   * tick or seal.
   */
  moveTo(instance: I, slot: number): I {
    const page = this.writablePage(slot >>> this.shift);
    bindPage(instance, page.columns);
    const cursor = instance[CURSOR];
    cursor.page = slot >>> this.shift;
    cursor.base = cursor.page << this.shift;
    cursor.o = slot - cursor.base;
    return instance;
  }

  /** Reads or writes one actor through a fresh flyweight; throws `ACTOR_REF_STALE` if it is not alive. */
  view(ref: ActorRef): I {
    if (!this.isAlive(ref)) throw new ActorError('ACTOR_REF_STALE', `actor ${ref} of kind ${this.kind.name} is not alive`);
    return this.moveTo(new this.kind(), refSlot(ref));
  }

  /** Pages needed to hold `highWater` slots. */
  get usedPages(): number {
    return Math.ceil(this.highWater / this.layout.pageSize);
  }

  describe(): KindStoreDescriptor {
    return {
      kindName: this.kind.name,
      kindId: this.kindId,
      layout: this.layout,
      buffer: this.buffer,
      header: this.header.buffer as SharedArrayBuffer,
      table: this.frameOf.buffer as SharedArrayBuffer,
    };
  }

  // ---- Copy-on-write and sealed ticks (frameTable.ts explains the scheme) ----

  /** The store now, as an immutable seal; its frames are not written again while it is held. Owner thread. */
  seal(): KindSeal {
    const frames = this.frameOf.slice(0, this.usedPages);
    this.frames.hold(frames);
    this.freeSlotsSealed = true;
    return Object.freeze({ frames, highWater: this.highWater, live: this.liveCount, freeSlots: this.freeSlots });
  }

  /** Lets go of a seal: frames no seal and no live page uses become free. Owner thread. */
  release(seal: KindSeal): void {
    this.frames.drop(seal.frames, (page, frame) => this.frameOf[page] === frame);
  }

  /** Makes a sealed state current; O(pages), no actor data is copied. Owner thread, between ticks. */
  restore(seal: KindSeal): void {
    const used = this.usedPages;
    for (let page = 0; page < Math.max(used, seal.frames.length); page++) {
      const reserved = this.frameOf[this.maxPages + page]!;
      if (reserved !== 0) {
        this.frames.recycle(reserved - 1);
        this.frameOf[this.maxPages + page] = 0;
      }
      const current = page < used ? this.frameOf[page]! : -1;
      const next = page < seal.frames.length ? seal.frames[page]! : -1;
      if (current >= 0 && current !== next && !this.frames.isShared(current)) this.frames.recycle(current);
      // -1: no page here (yet) — a frame that a later seal still holds is not live any more.
      this.frameOf[page] = next;
    }
    Atomics.store(this.header, HIGH_WATER, seal.highWater);
    Atomics.store(this.header, LIVE, seal.live);
    this.freeSlots = seal.freeSlots as number[];
    this.freeSlotsSealed = true;
  }

  /**
   * Reserves a fresh frame for every page in [first, end) whose frame a seal holds, so the job
   * that writes the page copies it first (`claimWrites`). Owner thread, before the jobs run.
   */
  prepareWrites(first: number, end: number): void {
    const reserved = this.maxPages;
    for (let page = first; page < end; page++) {
      if (this.frameOf[reserved + page] === 0 && this.frames.isShared(this.frameOf[page]!)) this.frameOf[reserved + page] = this.newFrame() + 1;
    }
  }

  /** Copies every page in [first, end) with a reserved frame into it and points the table there. Any thread: the job that owns the pages. */
  claimWrites(first: number, end: number): void {
    const reserved = this.maxPages;
    const pageBytes = this.layout.pageBytes;
    for (let page = first; page < end; page++) {
      const to = this.frameOf[reserved + page]!;
      if (to === 0) continue;
      const from = this.frameOf[page]!;
      // `bytes` tracks the buffer's length, so frames added by another thread are in range.
      this.bytes.copyWithin((to - 1) * pageBytes, from * pageBytes, (from + 1) * pageBytes);
      this.frameOf[page] = to - 1;
      this.frameOf[reserved + page] = 0;
    }
  }

  /**
   * Puts pages [first, end) back on the frames `seal` holds and reserves fresh frames for them
   * again: the pre-job copies, for redoing a job whose worker died mid-way. False if a page is
   * newer than the seal (nothing to go back to). Owner thread, between batches.
   */
  revertPages(first: number, end: number, seal: KindSeal): boolean {
    if (end > seal.frames.length) return false;
    for (let page = first; page < end; page++) {
      const sealed = seal.frames[page]!;
      const current = this.frameOf[page]!;
      if (current !== sealed) {
        // The job had claimed the page: its half-written copy goes back to the free list.
        if (!this.frames.isShared(current)) this.frames.recycle(current);
        this.frameOf[page] = sealed;
      }
      if (this.frameOf[this.maxPages + page] === 0) this.frameOf[this.maxPages + page] = this.newFrame() + 1;
    }
    return true;
  }

  // ---- Supervision: restart in place and suspension (owner thread, between ticks) ----

  /**
   * Restarts the actor in `slot` in place: its fields go back to the schema's initial values, or
   * to their values in `seal` (a sealed tick that holds the slot). Its ref stays valid.
   */
  restartSlot(slot: number, seal?: KindSeal): void {
    const index = slot >>> this.shift;
    const page = this.writablePage(index);
    const o = slot & (this.layout.pageSize - 1);
    const source = seal && index < seal.frames.length ? this.viewOfFrame(seal.frames[index]!) : undefined;
    this.layout.columns.forEach((column, k) => {
      const lanes = column.spec.lanes;
      const to = page.columns[k]!;
      for (let lane = 0; lane < lanes; lane++) to[o * lanes + lane] = source ? source.columns[k]![o * lanes + lane]! : column.spec.initial[lane]!;
    });
  }

  /** Takes a live actor out of the ticks (the runner skips it, messages to it are dead letters) until `resume`. */
  suspend(slot: number): void {
    const page = this.writablePage(slot >>> this.shift);
    const o = slot & (this.layout.pageSize - 1);
    if (page.alive[o] === 1) page.alive[o] = SUSPENDED;
  }

  /** Puts a suspended actor back. False if it was not suspended. */
  resume(slot: number): boolean {
    const o = slot & (this.layout.pageSize - 1);
    if (this.page(slot >>> this.shift).alive[o] !== SUSPENDED) return false;
    this.writablePage(slot >>> this.shift).alive[o] = 1;
    return true;
  }

  /** Whether the actor in `slot` is suspended. */
  isSuspended(slot: number): boolean {
    return slot < this.highWater && this.page(slot >>> this.shift).alive[slot & (this.layout.pageSize - 1)] === SUSPENDED;
  }

  private viewOfFrame(frame: number): Page {
    return this.views[frame] ?? this.makeView(frame, -1);
  }

  /** The bytes of a frame (a sealed page): a view, not a copy — valid while a seal holds the frame. */
  frameBytes(frame: number): Uint8Array {
    return new Uint8Array(this.buffer, frame * this.layout.pageBytes, this.layout.pageBytes);
  }

  /**
   * Replaces the store's state with pages read back from storage (a restore from disk): each page
   * goes into a frame no seal holds. Owner thread, between ticks. Throws `ACTOR_LAYOUT_MISMATCH`
   * for a page of another size, before anything changes.
   */
  load(image: { readonly pages: readonly Uint8Array[]; readonly highWater: number; readonly live: number; readonly freeSlots: readonly number[] }): void {
    const pageBytes = this.layout.pageBytes;
    const wrong = image.pages.findIndex((page) => page.byteLength !== pageBytes);
    if (wrong >= 0) {
      throw new ActorError('ACTOR_LAYOUT_MISMATCH', `kind ${this.kind.name}: stored page ${wrong} has ${image.pages[wrong]!.byteLength} bytes; this layout's pages have ${pageBytes}`);
    }
    if (image.pages.length > this.maxPages || image.highWater > image.pages.length * this.layout.pageSize) {
      throw new ActorError('ACTOR_CAPACITY', `kind ${this.kind.name}: stored state of ${image.pages.length} pages (high-water ${image.highWater}) does not fit this store`);
    }
    const used = this.usedPages;
    for (let page = 0; page < Math.max(used, image.pages.length); page++) {
      const reserved = this.frameOf[this.maxPages + page]!;
      if (reserved !== 0) {
        this.frames.recycle(reserved - 1);
        this.frameOf[this.maxPages + page] = 0;
      }
      const current = page < used ? this.frameOf[page]! : -1;
      const reusable = current >= 0 && !this.frames.isShared(current);
      if (page < image.pages.length) {
        const frame = reusable ? current : this.newFrame();
        this.bytes.set(image.pages[page]!, frame * pageBytes);
        this.frameOf[page] = frame;
      } else {
        if (reusable) this.frames.recycle(current);
        this.frameOf[page] = -1;
      }
    }
    Atomics.store(this.header, HIGH_WATER, image.highWater);
    Atomics.store(this.header, LIVE, image.live);
    this.freeSlots = [...image.freeSlots];
    this.freeSlotsSealed = false;
  }

  /** Frames made (live, sealed and free), and free ones: memory held is `made × pageBytes`. */
  frameStats(): { readonly made: number; readonly free: number; readonly pageBytes: number } {
    return { made: this.frames.made, free: this.frames.freeCount, pageBytes: this.layout.pageBytes };
  }

  /** Page `index`, copied first if a seal holds its frame. Owner thread. */
  private writablePage(index: number): Page {
    if (this.frames.isShared(this.frameOf[index]!)) {
      if (this.frameOf[this.maxPages + index] === 0) this.frameOf[this.maxPages + index] = this.newFrame() + 1;
      this.claimWrites(index, index + 1);
    }
    return this.page(index);
  }

  private ownFreeSlots(): number[] {
    if (this.freeSlotsSealed) {
      this.freeSlots = this.freeSlots.slice();
      this.freeSlotsSealed = false;
    }
    return this.freeSlots;
  }

  private makeView(frame: number, index: number): Page {
    if ((frame + 1) * this.layout.pageBytes > this.buffer.byteLength) {
      throw new ActorError('ACTOR_CAPACITY', `kind ${this.kind.name}: page ${index} (frame ${frame}) does not exist (${this.buffer.byteLength / this.layout.pageBytes} frames)`);
    }
    const view = frameViews(this.layout, this.buffer, frame);
    this.views[frame] = view;
    return view;
  }

  /** A free frame, or a new one at the end of the buffer. Owner thread. */
  private newFrame(): number {
    const free = this.frames.take();
    if (free >= 0) return free;
    const frame = this.frames.made;
    const needed = (frame + 1) * this.layout.pageBytes;
    if (needed > this.buffer.byteLength) {
      if (needed > this.buffer.maxByteLength) {
        throw new ActorError(
          'ACTOR_CAPACITY',
          `kind ${this.kind.name} is full: ${frame + 1} page frames (${this.usedPages} pages and the sealed ticks' copies) exceed the reserved ${this.buffer.maxByteLength / this.layout.pageBytes}; retain fewer ticks or use fewer actors`,
        );
      }
      // Grow by half again at least, so a million spawns do not grow 245 times.
      const target = Math.min(this.buffer.maxByteLength, Math.max(needed, Math.ceil((this.buffer.byteLength * 1.5) / this.layout.pageBytes) * this.layout.pageBytes));
      this.buffer.grow(target);
    }
    return this.frames.adopt();
  }

  private pageFor(slot: number): Page {
    const index = slot >>> this.shift;
    if (index >= this.maxPages) {
      throw new ActorError('ACTOR_CAPACITY', `kind ${this.kind.name} is full: ${slot} actors reach the reserved maximum of ${this.maxPages * this.layout.pageSize}`);
    }
    if (index >= this.usedPages) {
      // A new page starts zeroed whichever frame it gets, so a recycled frame changes no state.
      const frame = this.newFrame();
      this.bytes.fill(0, frame * this.layout.pageBytes, (frame + 1) * this.layout.pageBytes);
      this.frameOf[index] = frame;
    }
    return this.writablePage(index);
  }
}

function checkLayout(descriptor: KindStoreDescriptor, layout: PageLayout): void {
  if (descriptor.layout.version !== LAYOUT_VERSION || descriptor.layout.pageBytes !== layout.pageBytes || descriptor.layout.pageSize !== layout.pageSize) {
    throw new ActorError(
      'ACTOR_LAYOUT_MISMATCH',
      `kind ${descriptor.kindName}: page layout v${descriptor.layout.version} (${descriptor.layout.pageSize} actors, ${descriptor.layout.pageBytes} bytes) does not match this thread's v${LAYOUT_VERSION} (${layout.pageSize} actors, ${layout.pageBytes} bytes): is the same module loaded?`,
    );
  }
}

/** Rebuilds a store in another thread from its descriptor; the pages are shared, not copied. */
export function attachKindStore<I extends ActorInstance>(kind: ActorKind<Schema, I>, descriptor: KindStoreDescriptor): KindStore<I> {
  return new KindStore(kind, descriptor.kindId, { attach: descriptor });
}
