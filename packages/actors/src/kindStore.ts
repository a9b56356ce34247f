/**
 * Paged structure-of-arrays storage of one actor kind. Each page is a SharedArrayBuffer holding
 * `pageSize` actors (see layout.ts), so any worker can run any page after `attachKindStore()`.
 *
 * Threads: spawn and despawn change the free list and belong to one thread (the engine's main
 * thread, at the tick boundary); workers only read and write columns of live actors.
 */
import { bindPage, CURSOR, type ActorInstance, type ActorKind } from './actorClass.js';
import { ActorError } from './errors.js';
import { columnView, LAYOUT_VERSION, type ColumnArray, type PageLayout } from './layout.js';
import { makeRef, MAX_GENERATION, MAX_SLOTS, refGeneration, refKind, refSlot, type ActorRef } from './ref.js';

/** One page's buffer and its typed views. */
export interface Page {
  readonly buffer: SharedArrayBuffer;
  readonly columns: readonly ColumnArray[];
  readonly alive: Uint8Array;
  readonly generation: Uint16Array;
}

/** What another thread needs to attach to a store: structured-cloneable, buffers shared not copied. */
export interface KindStoreDescriptor {
  readonly kindName: string;
  readonly kindId: number;
  readonly layout: PageLayout;
  readonly pages: readonly SharedArrayBuffer[];
  readonly highWater: number;
}

function pageOf(layout: PageLayout, buffer: SharedArrayBuffer): Page {
  return {
    buffer,
    columns: layout.columns.map((c) => columnView(buffer, c)),
    alive: new Uint8Array(buffer, layout.aliveOffset, layout.pageSize),
    generation: new Uint16Array(buffer, layout.generationOffset, layout.pageSize),
  };
}

export class KindStore<I extends ActorInstance = ActorInstance> {
  readonly pages: Page[] = [];
  /** Slots ever used: actors live in [0, highWater); dead slots inside are skipped. */
  highWater = 0;
  liveCount = 0;
  private freeSlots: number[] = [];
  private readonly writer: I;
  private readonly shift: number;

  constructor(
    readonly kind: ActorKind<never, I>,
    readonly kindId: number,
  ) {
    this.writer = new kind();
    this.shift = Math.log2(kind.layout.pageSize);
  }

  get layout(): PageLayout {
    return this.kind.layout;
  }

  /** Creates an actor with the schema's initial values, then `init` on it; returns its ref. */
  spawn(init?: (actor: I) => void): ActorRef {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.highWater++;
    if (slot >= MAX_SLOTS) throw new ActorError('ACTOR_CAPACITY', `kind ${this.kind.name} is full: at most ${MAX_SLOTS} actors per kind`);
    const page = this.pageFor(slot);
    const o = slot & (this.layout.pageSize - 1);
    this.layout.columns.forEach((column, k) => {
      const lanes = column.spec.lanes;
      for (let lane = 0; lane < lanes; lane++) page.columns[k]![o * lanes + lane] = column.spec.initial[lane]!;
    });
    page.alive[o] = 1;
    this.liveCount++;
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
    const page = this.pages[slot >>> this.shift]!;
    const o = slot & (this.layout.pageSize - 1);
    page.alive[o] = 0;
    page.generation[o] = (page.generation[o]! + 1) % MAX_GENERATION;
    this.liveCount--;
    this.freeSlots.push(slot);
    return true;
  }

  /** Whether `ref` names a live actor of this kind (a stale generation is not alive). */
  isAlive(ref: ActorRef): boolean {
    if (refKind(ref) !== this.kindId) return false;
    const slot = refSlot(ref);
    if (slot >= this.highWater) return false;
    const page = this.pages[slot >>> this.shift]!;
    const o = slot & (this.layout.pageSize - 1);
    return page.alive[o] === 1 && page.generation[o] === refGeneration(ref);
  }

  /** The ref of the actor in `slot` (alive or not). */
  refAt(slot: number): ActorRef {
    const page = this.pages[slot >>> this.shift]!;
    return makeRef(this.kindId, slot, page.generation[slot & (this.layout.pageSize - 1)]!);
  }

  /** Positions a flyweight of this kind on `slot` (for reads and writes outside the runner). */
  moveTo(instance: I, slot: number): I {
    const page = this.pages[slot >>> this.shift]!;
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
    return { kindName: this.kind.name, kindId: this.kindId, layout: this.layout, pages: this.pages.map((p) => p.buffer), highWater: this.highWater };
  }

  /** Takes over pages and the high-water mark from a descriptor (a worker following the main thread). */
  adopt(descriptor: KindStoreDescriptor): void {
    if (descriptor.layout.version !== LAYOUT_VERSION || descriptor.layout.pageBytes !== this.layout.pageBytes) {
      throw new ActorError(
        'ACTOR_LAYOUT_MISMATCH',
        `kind ${descriptor.kindName}: page layout v${descriptor.layout.version}/${descriptor.layout.pageBytes} bytes does not match this thread's v${LAYOUT_VERSION}/${this.layout.pageBytes} bytes (is the same module loaded?)`,
      );
    }
    for (let p = this.pages.length; p < descriptor.pages.length; p++) this.pages.push(pageOf(this.layout, descriptor.pages[p]!));
    this.highWater = descriptor.highWater;
  }

  private pageFor(slot: number): Page {
    const index = slot >>> this.shift;
    while (this.pages.length <= index) this.pages.push(pageOf(this.layout, new SharedArrayBuffer(this.layout.pageBytes)));
    return this.pages[index]!;
  }
}

/** Rebuilds a store in another thread from its descriptor; the pages are shared, not copied. */
export function attachKindStore<I extends ActorInstance>(kind: ActorKind<never, I>, descriptor: KindStoreDescriptor): KindStore<I> {
  const store = new KindStore(kind, descriptor.kindId);
  store.adopt(descriptor);
  return store;
}
