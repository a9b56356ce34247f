/**
 * Paged structure-of-arrays storage of one actor kind. All pages live in one *growable*
 * SharedArrayBuffer (page p is bytes [p·pageBytes, (p+1)·pageBytes), laid out as layout.ts says),
 * and the high-water mark lives in a small shared header. A worker attaches once with
 * `attachKindStore()` and then sees every page the main thread adds without any message: growth
 * of a shared buffer is visible to every thread that holds it.
 *
 * Threads: spawn and despawn change the free list and belong to one thread (the engine's main
 * thread, at the tick boundary); workers only read and write columns of live actors.
 */
import type { Schema } from './fields.js';
import { bindPage, CURSOR, type ActorInstance, type ActorKind } from './actorClass.js';
import { ActorError } from './errors.js';
import { columnView, LAYOUT_VERSION, type ColumnArray, type PageLayout } from './layout.js';
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
  /** Growable: every page of the kind. */
  readonly buffer: SharedArrayBuffer;
  /** Int32 words: HIGH_WATER, LIVE. */
  readonly header: SharedArrayBuffer;
}

const HIGH_WATER = 0;
const LIVE = 1;
const HEADER_WORDS = 2;

export interface KindStoreOptions {
  /** Most actors the kind may ever hold (reserves address space, not memory); default 2^24. */
  readonly maxActors?: number;
}

function pageOf(layout: PageLayout, buffer: SharedArrayBuffer, index: number): Page {
  const byteOffset = index * layout.pageBytes;
  return {
    buffer,
    byteOffset,
    columns: layout.columns.map((c) => columnView(buffer, { ...c, byteOffset: byteOffset + c.byteOffset })),
    alive: new Uint8Array(buffer, byteOffset + layout.aliveOffset, layout.pageSize),
    generation: new Uint16Array(buffer, byteOffset + layout.generationOffset, layout.pageSize),
  };
}

export class KindStore<I extends ActorInstance = ActorInstance> {
  /** This thread's views of the pages, made on first use. */
  private readonly views: Page[] = [];
  private readonly header: Int32Array;
  private readonly buffer: SharedArrayBuffer;
  private freeSlots: number[] = [];
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
    } else {
      const maxActors = Math.min(options.maxActors ?? MAX_SLOTS, MAX_SLOTS);
      const maxPages = Math.ceil(maxActors / kind.layout.pageSize);
      this.buffer = new SharedArrayBuffer(0, { maxByteLength: maxPages * kind.layout.pageBytes });
      this.header = new Int32Array(new SharedArrayBuffer(HEADER_WORDS * 4));
    }
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

  /** Page `index` as this thread's views (the page must exist). */
  page(index: number): Page {
    return this.views[index] ?? this.makeView(index);
  }

  /** Creates an actor with the schema's initial values, then `init` on it; returns its ref. */
  spawn(init?: (actor: I) => void): ActorRef {
    const reuse = this.freeSlots.length > 0;
    const slot = reuse ? this.freeSlots.pop()! : this.highWater;
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
    const page = this.page(slot >>> this.shift);
    const o = slot & (this.layout.pageSize - 1);
    page.alive[o] = 0;
    page.generation[o] = (page.generation[o]! + 1) % MAX_GENERATION;
    Atomics.sub(this.header, LIVE, 1);
    this.freeSlots.push(slot);
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

  /** Positions a flyweight of this kind on `slot` (for reads and writes outside the runner). */
  moveTo(instance: I, slot: number): I {
    const page = this.page(slot >>> this.shift);
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
    return { kindName: this.kind.name, kindId: this.kindId, layout: this.layout, buffer: this.buffer, header: this.header.buffer as SharedArrayBuffer };
  }

  private makeView(index: number): Page {
    if ((index + 1) * this.layout.pageBytes > this.buffer.byteLength) {
      throw new ActorError('ACTOR_CAPACITY', `kind ${this.kind.name}: page ${index} does not exist (${this.buffer.byteLength / this.layout.pageBytes} pages)`);
    }
    const view = pageOf(this.layout, this.buffer, index);
    this.views[index] = view;
    return view;
  }

  private pageFor(slot: number): Page {
    const index = slot >>> this.shift;
    const needed = (index + 1) * this.layout.pageBytes;
    if (needed > this.buffer.byteLength) {
      if (needed > this.buffer.maxByteLength) {
        throw new ActorError('ACTOR_CAPACITY', `kind ${this.kind.name} is full: ${slot} actors reach the reserved maximum of ${this.buffer.maxByteLength / this.layout.bytesPerActor}`);
      }
      // Grow by half again at least, so a million spawns do not grow 245 times.
      const target = Math.min(this.buffer.maxByteLength, Math.max(needed, Math.ceil((this.buffer.byteLength * 1.5) / this.layout.pageBytes) * this.layout.pageBytes));
      this.buffer.grow(target);
    }
    return this.page(index);
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
