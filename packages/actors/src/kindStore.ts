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
import type { PageLayout } from './layout.js';
import type { KindSeal } from './frameTable.js';
import { HandleTable } from './handleTable.js';
import { checkLayout, checkStored, frameViews, writeFields, type KindStoreDescriptor, type Page, type StoredKind } from './pageViews.js';
import { MembershipStamps } from './membership.js';
import { PageTable } from './pageTable.js';
import { PageMoves } from './pageMoves.js';
import { checkOrder, gatherActors, withinRangeMap } from './reorder.js';

export type { KindStoreDescriptor, Page, StoredKind } from './pageViews.js';
import { makeRef, MAX_GENERATION, MAX_SLOTS, refGeneration, refHandle, refKind, type ActorRef } from './ref.js';

const HIGH_WATER = 0;
/** `alive` of an actor its supervisor took out of the ticks for a backoff (1: alive, 0: free). */
const SUSPENDED = 2;
const LIVE = 1;
/** Handles issued (handleTable.ts). */
const HANDLES = 2;
const HEADER_WORDS = 3;

export interface KindStoreOptions {
  /** Most actors the kind may ever hold (reserves address space, not memory); default 2^24. */
  readonly maxActors?: number;
}

/** V8 refuses a growable SharedArrayBuffer over 4 GiB: the frames of one kind fit in that. */
const MAX_BUFFER_BYTES = 2 ** 32;

export class KindStore<I extends ActorInstance = ActorInstance> {
  /** This thread's views of the frames, made on first use. */
  private readonly views: Page[] = [];
  private readonly header: Int32Array;
  /** Which frame holds each page, and the frames' copy-on-write (pageTable.ts). */
  private readonly pages: PageTable;
  /** Which slot holds each handle: refs name handles, so actors may move (`reorder`). */
  private readonly handles: HandleTable;
  private freeSlots: number[] = [];
  /** Whether `freeSlots` is shared with a seal (copied before the next change). */
  private freeSlotsSealed = false;
  private readonly writer: I;
  private readonly shift: number;
  private readonly membership = new MembershipStamps();
  /** Pages whose actors `reorder` / `reorderWithin` moved, until the owner takes them. Owner thread. */
  readonly moves = new PageMoves();
  /** reorderWithin's copy of the range it gathers from (reused). */
  private rangeCopy = new Uint8Array(0);

  constructor(
    readonly kind: ActorKind<Schema, I>,
    readonly kindId: number,
    options: KindStoreOptions & { readonly attach?: KindStoreDescriptor } = {},
  ) {
    this.writer = new kind();
    this.shift = Math.log2(kind.layout.pageSize);
    const attach = options.attach;
    let buffer: SharedArrayBuffer;
    let table: SharedArrayBuffer;
    const maxActors = Math.min(options.maxActors ?? MAX_SLOTS, MAX_SLOTS);
    if (attach) {
      checkLayout(attach, kind.layout);
      buffer = attach.buffer;
      table = attach.table;
      this.header = new Int32Array(attach.header);
    } else {
      const maxPages = Math.ceil(maxActors / kind.layout.pageSize);
      // Frames beyond one per page hold sealed ticks: reserve what one buffer may (address space only).
      const maxFrames = Math.max(maxPages, Math.floor(MAX_BUFFER_BYTES / kind.layout.pageBytes) - 1);
      buffer = new SharedArrayBuffer(0, { maxByteLength: Math.min(maxFrames * kind.layout.pageBytes, MAX_BUFFER_BYTES - kind.layout.pageBytes) });
      table = new SharedArrayBuffer(maxPages * 2 * 4);
      this.header = new Int32Array(new SharedArrayBuffer(HEADER_WORDS * 4));
    }
    this.pages = new PageTable(buffer, table, kind.layout.pageBytes, `kind ${kind.name}`);
    this.handles = new HandleTable(kind.layout.pageSize, attach ? MAX_SLOTS : maxActors, this.header, HANDLES, `kind ${kind.name}`, attach?.handles);
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

  /**
   * A stamp that changes whenever a spawn, despawn, suspend, resume, restore, load, reorder or
   * page revert may have changed which of page `index`'s slots hold live actors, and when a
   * restart put an actor's fields back (`restartSlot`). Owner thread.
   */
  membershipStamp(index: number): number {
    return this.membership.of(index);
  }

  /** Page `index` as this thread's views of its current frame (the page must exist). */
  page(index: number): Page {
    const frame = this.pages.table[index]!;
    return this.views[frame] ?? this.makeView(frame, index);
  }

  /** Creates an actor with the schema's initial values, then `init` on it; returns its ref. */
  spawn(init?: (actor: I) => void): ActorRef {
    const reuse = this.freeSlots.length > 0;
    const slot = reuse ? this.ownFreeSlots().pop()! : this.highWater;
    const page = this.pageFor(slot);
    if (!reuse) Atomics.store(this.header, HIGH_WATER, slot + 1);
    const o = slot & (this.layout.pageSize - 1);
    writeFields(this.layout, page, o);
    const { handle, generation } = this.handles.issue(slot);
    page.handle[o] = handle;
    page.generation[o] = generation;
    page.alive[o] = 1;
    this.membership.touch(slot >>> this.shift);
    Atomics.add(this.header, LIVE, 1);
    if (init) {
      this.moveTo(this.writer, slot);
      init(this.writer);
    }
    return makeRef(this.kindId, handle, generation);
  }

  /** Spawns `count` actors; `init(actor, i)` sets each one up. */
  spawnMany(count: number, init?: (actor: I, i: number) => void): void {
    for (let i = 0; i < count; i++) this.spawn(init ? (a) => init(a, i) : undefined);
  }

  /**
   * Removes an actor; its slot and its handle are reused (LIFO), the handle with a new generation
   * (refs to this actor are stale from now on). False if it was not alive.
   */
  despawn(ref: ActorRef): boolean {
    if (!this.isAlive(ref)) return false;
    const slot = this.handles.slotOf(refHandle(ref));
    const page = this.writablePage(slot >>> this.shift);
    const o = slot & (this.layout.pageSize - 1);
    const next = (refGeneration(ref) + 1) % MAX_GENERATION;
    page.alive[o] = 0;
    this.membership.touch(slot >>> this.shift);
    // The dead slot keeps its handle and shows the generation the handle's next actor gets.
    page.generation[o] = next;
    this.handles.release(refHandle(ref), next);
    Atomics.sub(this.header, LIVE, 1);
    this.ownFreeSlots().push(slot);
    return true;
  }

  /** Whether `ref` names a live actor of this kind (a stale generation is not alive; a suspended actor is not). */
  isAlive(ref: ActorRef): boolean {
    return this.liveSlotOf(ref) >= 0;
  }

  /** The slot that holds `ref`'s actor now (alive or suspended), or -1 for a stale ref or one of another kind. */
  slotOf(ref: ActorRef): number {
    return this.findSlot(ref, 0);
  }

  /**
   * The slot the handle map gives `ref`'s handle, or -1 (another kind's ref, or a free handle). No
   * check that the actor there is `ref`'s generation, or alive: that reads its page, which the job
   * running it may be copying right now — routing a message to a page reads only the map (which
   * changes only between ticks), and delivery checks the rest. Any thread.
   */
  placeOf(ref: ActorRef): number {
    if (refKind(ref) !== this.kindId) return -1;
    const slot = this.handles.slotOf(refHandle(ref));
    return slot >= 0 && slot < this.header[HIGH_WATER]! ? slot : -1;
  }

  /** The slot of `ref`'s actor if it is alive and not suspended (what a message needs), else -1: one lookup. */
  liveSlotOf(ref: ActorRef): number {
    return this.findSlot(ref, 1);
  }

  /** `ref`'s slot if its actor's `alive` flag is `alive` (1) or any live value (0: alive or suspended). */
  private findSlot(ref: ActorRef, alive: number): number {
    if (refKind(ref) !== this.kindId) return -1;
    const slot = this.handles.slotOf(refHandle(ref));
    // Plain read of the high-water mark: it changes only between ticks (see slotOf in handleTable.ts).
    if (slot < 0 || slot >= this.header[HIGH_WATER]!) return -1;
    const page = this.page(slot >>> this.shift);
    const o = slot & (this.layout.pageSize - 1);
    const flag = page.alive[o]!;
    return (alive === 0 ? flag !== 0 : flag === alive) && page.generation[o] === refGeneration(ref) ? slot : -1;
  }

  /** The ref of the actor in `slot` (alive or not). */
  refAt(slot: number): ActorRef {
    const page = this.page(slot >>> this.shift);
    const o = slot & (this.layout.pageSize - 1);
    return makeRef(this.kindId, page.handle[o]!, page.generation[o]!);
  }

  /** The handle of the actor in `slot` (ref.ts): what stays the same when the actor moves. */
  handleAt(slot: number): number {
    return this.page(slot >>> this.shift).handle[slot & (this.layout.pageSize - 1)]!;
  }

  /** Handles issued so far: every handle of this kind is below. Shared. */
  get handleCount(): number {
    return this.handles.high;
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
    return this.moveTo(new this.kind(), this.slotOf(ref));
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
      buffer: this.pages.buffer,
      header: this.header.buffer as SharedArrayBuffer,
      table: this.pages.table.buffer as SharedArrayBuffer,
      handles: this.handles.describe(),
    };
  }

  // ---- Copy-on-write and sealed ticks (frameTable.ts explains the scheme, pageTable.ts does it) ----

  /** The store now, as an immutable seal; its frames are not written again while it is held. Owner thread. */
  seal(): KindSeal {
    const frames = this.pages.seal(this.usedPages);
    this.freeSlotsSealed = true;
    return Object.freeze({ frames, handles: this.handles.seal(), highWater: this.highWater, live: this.liveCount, freeSlots: this.freeSlots });
  }

  /** Lets go of a seal: frames no seal and no live page uses become free. Owner thread. */
  release(seal: KindSeal): void {
    this.pages.release(seal.frames);
    this.handles.releaseSeal(seal.handles);
  }

  /** Makes a sealed state current; O(pages), no actor data is copied. Owner thread, between ticks. */
  restore(seal: KindSeal): void {
    this.pages.restore(seal.frames, this.usedPages);
    this.membership.touchAll();
    this.handles.restore(seal.handles);
    this.setCounts(seal.highWater, seal.live, seal.freeSlots as number[], true);
  }

  /** A seal's free handles and the generation each one's next actor gets (what storage keeps besides the pages). */
  sealedHandles(seal: KindSeal): { readonly count: number; readonly free: readonly number[]; readonly generations: readonly number[] } {
    return { count: seal.handles.high, ...this.handles.sealedFreeHandles(seal.handles) };
  }

  /**
   * Reserves a fresh frame for every page in [first, end) whose frame a seal holds, so the job
   * that writes the page copies it first (`claimWrites`). Owner thread, before the jobs run.
   */
  prepareWrites(first: number, end: number): void {
    this.pages.prepareWrites(first, end);
  }

  /** Copies every page in [first, end) with a reserved frame into it and points the table there. Any thread: the job that owns the pages. */
  claimWrites(first: number, end: number): void {
    this.pages.claimWrites(first, end);
  }

  /**
   * Puts pages [first, end) back on the frames `seal` holds and reserves fresh frames for them
   * again: the pre-job copies, for redoing a job whose worker died mid-way. False if a page is
   * newer than the seal (nothing to go back to). Owner thread, between batches.
   */
  revertPages(first: number, end: number, seal: KindSeal): boolean {
    this.membership.touchRange(first, end);
    return this.pages.revert(first, end, seal.frames);
  }

  /**
   * Moves the live actors (suspended ones too) so that the actor in slot `order[i]` ends up in
   * slot i; the slots past them become free (the high-water mark falls to the live count). Refs
   * stay valid: each actor keeps its handle. The pages are written into fresh frames, so a sealed
   * tick keeps the old layout and a rewind brings it back. Owner thread, between ticks.
   * @throws ActorError `ACTOR_ORDER_INVALID` unless `order` lists every live slot exactly once (before anything moves)
   */
  reorder(order: Int32Array): void {
    const pageSize = this.layout.pageSize;
    const used = this.usedPages;
    const source = Array.from({ length: used }, (_, p) => this.page(p));
    const alive = new Uint8Array(used * pageSize);
    source.forEach((page, p) => alive.set(page.alive, p * pageSize));
    checkOrder(order, this.highWater, this.liveCount, alive, `kind ${this.kind.name}`);
    const frames = this.pages.freshFrames(Math.ceil(order.length / pageSize));
    // Slots past the last actor read as a new page's do (zero): the state hash reads whole pages.
    if (frames.length > 0) this.pages.frameBytes(frames[frames.length - 1]!).fill(0);
    const target = Array.from(frames, (frame) => this.viewOfFrame(frame));
    gatherActors(this.layout, source, target, order);
    this.pages.restore(frames, used);
    this.membership.touchAll();
    try {
      target.forEach((page, p) => this.handles.pointRun(page.handle, p * pageSize, Math.min(pageSize, order.length - p * pageSize)));
    } finally {
      this.handles.endRuns(); // marks of a run must not outlive it: a later seal would hold those pages
    }
    this.setCounts(order.length, this.liveCount, [], false);
    this.moves.note(0, used);
  }

  /**
   * Moves the live actors of pages [firstPage, endPage) among that range's live slots: the actor in
   * slot `order[k]` goes to the k-th live slot of the range (ascending); free slots stay where they
   * are, so counts and free slots do not change. Refs stay valid (each actor keeps its handle);
   * a page a sealed tick holds is copied before it is written, so the seal keeps the old layout.
   * O(actors in the range): a bounded step of a spatial sort. Owner thread, between ticks.
   * @throws ActorError `ACTOR_ORDER_INVALID` unless `order` lists every live slot of the range exactly once (before anything moves)
   */
  reorderWithin(firstPage: number, endPage: number, order: Int32Array): void {
    const pageSize = this.layout.pageSize;
    const end = Math.min(endPage, this.usedPages);
    if (!(firstPage >= 0 && firstPage <= end)) throw new ActorError('ACTOR_ORDER_INVALID', `kind ${this.kind.name}: reorderWithin's pages [${firstPage}, ${endPage}) are not within the ${this.usedPages} used`);
    const base = firstPage * pageSize;
    const span = Math.min((end - firstPage) * pageSize, Math.max(0, this.highWater - base));
    const pages = Math.ceil(span / pageSize);
    const alivePages = Array.from({ length: pages }, (_, p) => this.page(firstPage + p).alive);
    const { map, liveSlots } = withinRangeMap(order, base, span, alivePages, `kind ${this.kind.name}`);
    if (order.length === 0) return;
    // Everything that may fail (copies out of seals: capacity) before anything moves.
    const target = Array.from({ length: pages }, (_, p) => this.writablePage(firstPage + p));
    const handles = new Int32Array(liveSlots.length);
    liveSlots.forEach((slot, k) => (handles[k] = target[(slot - base) >>> this.shift]!.handle[slot & (pageSize - 1)]!));
    try {
      this.handles.makeWritable(handles, handles.length);
      // The range as it is, for the gather to read while it writes the pages themselves: into a
      // scratch kept between calls (a fresh buffer costs ~0.7 ms a page to allocate here, the copy ~0.01 ms).
      const bytes = pages * this.layout.pageBytes;
      if (this.rangeCopy.length < bytes) this.rangeCopy = new Uint8Array(bytes);
      const copy = this.rangeCopy;
      const source = target.map((page, p) => {
        copy.set(new Uint8Array(page.buffer, page.byteOffset, this.layout.pageBytes), p * this.layout.pageBytes);
        return { buffer: copy.buffer, byteOffset: p * this.layout.pageBytes };
      });
      gatherActors(this.layout, source, target, map);
      this.moves.note(firstPage, firstPage + pages);
      for (let p = 0; p < pages; p++) this.membership.touch(firstPage + p);
      // Handles → slots, by runs of consecutive live slots within a page (free slots are rare).
      for (let k = 0; k < liveSlots.length; ) {
        const slot = liveSlots[k]!;
        const o = slot & (pageSize - 1);
        let run = 1;
        while (k + run < liveSlots.length && liveSlots[k + run] === slot + run && o + run < pageSize) run++;
        this.handles.pointRun(target[(slot - base) >>> this.shift]!.handle.subarray(o, o + run), slot, run);
        k += run;
      }
    } finally {
      this.handles.endRuns();
    }
  }

  // ---- Supervision: restart in place and suspension (owner thread, between ticks) ----

  /**
   * Restarts the actor in `slot` in place: its fields go back to the schema's initial values, or
   * to their values in `seal` (a sealed tick that holds the actor, wherever it was then). Its ref
   * stays valid.
   */
  restartSlot(slot: number, seal?: KindSeal): void {
    const index = slot >>> this.shift;
    const page = this.writablePage(index);
    const o = slot & (this.layout.pageSize - 1);
    const handle = page.handle[o]!;
    const sealedSlot = seal ? this.handles.sealedSlotOf(seal.handles, handle) : -1;
    const sealedPage = sealedSlot >= 0 && sealedSlot < seal!.highWater ? this.viewOfFrame(seal!.frames[sealedSlot >>> this.shift]!) : undefined;
    const so = sealedSlot & (this.layout.pageSize - 1);
    // Only the same actor's values: a handle the seal gave another actor (another generation) is not it.
    const source = sealedPage && sealedPage.alive[so] !== 0 && sealedPage.generation[so] === page.generation[o] ? sealedPage : undefined;
    writeFields(this.layout, page, o, source, so);
    // Not a membership change, but a reader keeping a copy per live actor (the spatial index)
    // must read this slot again: its fields jumped back.
    this.membership.touch(index);
  }

  /** Takes a live actor out of the ticks (the runner skips it, messages to it are dead letters) until `resume`. */
  suspend(slot: number): void {
    const page = this.writablePage(slot >>> this.shift);
    const o = slot & (this.layout.pageSize - 1);
    if (page.alive[o] === 1) page.alive[o] = SUSPENDED;
    this.membership.touch(slot >>> this.shift);
  }

  /** Puts a suspended actor back. False if it was not suspended. */
  resume(slot: number): boolean {
    const o = slot & (this.layout.pageSize - 1);
    if (this.page(slot >>> this.shift).alive[o] !== SUSPENDED) return false;
    this.writablePage(slot >>> this.shift).alive[o] = 1;
    this.membership.touch(slot >>> this.shift);
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
    return this.pages.frameBytes(frame);
  }

  /**
   * Replaces the store's state with pages read back from storage (a restore from disk): each page
   * goes into a frame no seal holds. Owner thread, between ticks. Throws `ACTOR_LAYOUT_MISMATCH`
   * for a page of another size, before anything changes.
   */
  load(image: StoredKind): void {
    checkStored(image, this.layout, this.pages.maxPages, `kind ${this.kind.name}`);
    this.pages.load(image.pages, this.usedPages);
    this.membership.touchAll();
    this.setCounts(image.highWater, image.live, [...image.freeSlots], false);
    const { count, free, generations } = image.handles;
    this.handles.load(count, free, generations, (visit) => {
      for (let slot = 0; slot < image.highWater; slot++) {
        const page = this.page(slot >>> this.shift);
        const o = slot & (this.layout.pageSize - 1);
        if (page.alive[o] !== 0) visit(page.handle[o]!, slot);
      }
    });
  }

  /** Frames made (live, sealed and free), and free ones: memory held is `made × pageBytes`. */
  frameStats(): { readonly made: number; readonly free: number; readonly pageBytes: number } {
    return this.pages.stats();
  }

  private setCounts(highWater: number, live: number, freeSlots: number[], sealed: boolean): void {
    Atomics.store(this.header, HIGH_WATER, highWater);
    Atomics.store(this.header, LIVE, live);
    this.freeSlots = freeSlots;
    this.freeSlotsSealed = sealed;
  }

  /** Page `index`, copied first if a seal holds its frame. Owner thread. */
  private writablePage(index: number): Page {
    this.pages.writable(index);
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
    const buffer = this.pages.buffer;
    if ((frame + 1) * this.layout.pageBytes > buffer.byteLength) {
      throw new ActorError('ACTOR_CAPACITY', `kind ${this.kind.name}: page ${index} (frame ${frame}) does not exist (${buffer.byteLength / this.layout.pageBytes} frames)`);
    }
    const view = frameViews(this.layout, buffer, frame);
    this.views[frame] = view;
    return view;
  }

  private pageFor(slot: number): Page {
    const index = slot >>> this.shift;
    if (index >= this.pages.maxPages) {
      throw new ActorError('ACTOR_CAPACITY', `kind ${this.kind.name} is full: ${slot} actors reach the reserved maximum of ${this.pages.maxPages * this.layout.pageSize}`);
    }
    if (index >= this.usedPages) this.pages.addPage(index);
    return this.writablePage(index);
  }
}

/** Rebuilds a store in another thread from its descriptor; the pages are shared, not copied. */
export function attachKindStore<I extends ActorInstance>(kind: ActorKind<Schema, I>, descriptor: KindStoreDescriptor): KindStore<I> {
  return new KindStore(kind, descriptor.kindId, { attach: descriptor });
}
