/**
 * The main thread's view of the world: one `KindStore` per registered kind (id = registration
 * order), spawns and despawns applied at the boundary, and the state hash.
 */
import { KindStore, refHandle, refKind, type ActorKind, type ActorRef } from '@concurrengine/actors';

import { EngineError } from './errors.js';
import { registerKind } from './kindRegistry.js';

export class World {
  readonly kinds: ActorKind[] = [];
  readonly stores: KindStore[] = [];
  private readonly ids = new Map<ActorKind, number>();
  deadLetters = 0;
  /** Told about every actor spawned at a boundary or between ticks (supervision forgets the handle's history). */
  onSpawn: ((kindId: number, handle: number) => void) | undefined;

  /** The kind's id, registering it on first sight. */
  register(kind: ActorKind): number {
    const known = this.ids.get(kind);
    if (known !== undefined) return known;
    registerKind(kind);
    const byName = this.kinds.findIndex((k) => k.name === kind.name);
    if (byName >= 0) throw new EngineError('ENGINE_KIND_DUPLICATE', `another actor kind named ${kind.name} is registered already`);
    const id = this.kinds.length;
    if (id >= 256) throw new EngineError('ENGINE_INVALID_ARGUMENT', 'at most 256 actor kinds per engine');
    this.kinds.push(kind);
    this.stores.push(new KindStore(kind, id));
    this.ids.set(kind, id);
    return id;
  }

  idOf(kind: ActorKind): number | undefined {
    return this.ids.get(kind);
  }

  /** The store of a ref's kind, or undefined for a ref of no registered kind. */
  storeOf(ref: ActorRef): KindStore | undefined {
    return this.stores[refKind(ref)];
  }

  /** Spawns an actor of `kindId` whose field lanes (in layout column order) are `lanes[at …]`. */
  spawnFromLanes(kindId: number, lanes: Float64Array, at: number): ActorRef {
    const store = this.stores[kindId];
    if (!store) throw new EngineError('ENGINE_KIND_UNREGISTERED', `spawn of kind id ${kindId}, which is not registered`);
    const ref = store.spawn();
    const slot = store.slotOf(ref);
    this.onSpawn?.(kindId, refHandle(ref));
    const page = store.page(Math.floor(slot / store.layout.pageSize));
    const o = slot % store.layout.pageSize;
    let i = at;
    store.layout.columns.forEach((column, k) => {
      const values = page.columns[k]!;
      const width = column.spec.lanes;
      for (let lane = 0; lane < width; lane++) values[o * width + lane] = lanes[i++]!;
    });
    return ref;
  }

  /** An actor's field lanes in layout column order (what `spawnFromLanes` takes). */
  lanesOf(ref: ActorRef): Float64Array {
    const store = this.storeOf(ref)!;
    const slot = store.slotOf(ref);
    const page = store.page(Math.floor(slot / store.layout.pageSize));
    const o = slot % store.layout.pageSize;
    const lanes: number[] = [];
    store.layout.columns.forEach((column, k) => {
      const width = column.spec.lanes;
      for (let lane = 0; lane < width; lane++) lanes.push(page.columns[k]![o * width + lane]!);
    });
    return Float64Array.from(lanes);
  }

  /** Despawns; a ref that is not alive counts as a dead letter. */
  despawn(ref: ActorRef): void {
    const store = this.storeOf(ref);
    if (!store || !store.despawn(ref)) this.deadLetters++;
  }

  /** Reserves copy-on-write frames for every page the next jobs will write (see actors' frameTable.ts). */
  prepareWrites(): void {
    for (const store of this.stores) store.prepareWrites(0, store.usedPages);
  }

  get actorCount(): number {
    return this.stores.reduce((n, s) => n + s.liveCount, 0);
  }

  /**
   * A 64-bit hash of every live actor except `exclude`, as a function of (ref → field lanes) only:
   * each actor is hashed on its own (its kind, ref, then its lanes) and the actor hashes are
   * summed, so where actors sit in the slots does not count. A fault drill compares it between a
   * run with faults and one without; an excluded actor that moves can change a refit or a spatial
   * sort and so everyone's slots, and must not change the hash of the others (issue 15).
   */
  stateHashExcept(tick: number, exclude: ReadonlySet<number>): string {
    let sum1 = 0;
    let sum2 = 0;
    let count = 0;
    const lane = new Float64Array(1);
    const words = new Int32Array(lane.buffer);
    let h1 = 0;
    let h2 = 0;
    const mix = (w: number) => {
      h1 = Math.imul(h1 ^ w, 0x01000193);
      h2 = Math.imul(h2 ^ (w >>> 16) ^ (w << 16), 0x5bd1e995) ^ (h2 >>> 15);
    };
    const mixLane = (value: number) => {
      lane[0] = value;
      mix(words[0]!);
      mix(words[1]!);
    };
    this.stores.forEach((store, kindId) => {
      const { pageSize, columns } = store.layout;
      for (let slot = 0; slot < store.highWater; slot++) {
        const ref = store.refAt(slot);
        if (exclude.has(ref as number) || !store.isAlive(ref)) continue;
        h1 = 0x811c9dc5 ^ kindId;
        h2 = 0x9747b28c;
        mixLane(ref);
        const page = store.page(Math.floor(slot / pageSize));
        const o = slot % pageSize;
        for (let k = 0; k < columns.length; k++) {
          const width = columns[k]!.spec.lanes;
          const values = page.columns[k]!;
          for (let w = 0; w < width; w++) mixLane(values[o * width + w]!);
        }
        // A final avalanche per actor, so that sums of near-equal actors do not cancel out.
        h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
        h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35) ^ (h1 >>> 16);
        h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
        h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35) ^ (h2 >>> 16);
        sum1 = (sum1 + h1) | 0;
        sum2 = (sum2 + h2) | 0;
        count++;
      }
    });
    h1 = 0x811c9dc5 ^ tick;
    h2 = 0x9747b28c ^ Math.imul(tick, 0x5bd1e995);
    mix(count);
    mix(sum1);
    mix(sum2);
    return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  }

  /**
   * A 64-bit hash (16 hex digits) of every kind's used pages: the columns, alive flags and
   * generations, plus the tick. Equal for equal worlds whatever the thread count.
   */
  stateHash(tick: number): string {
    let h1 = 0x811c9dc5 ^ tick;
    let h2 = 0x9747b28c ^ Math.imul(tick, 0x5bd1e995);
    this.stores.forEach((store, kindId) => {
      h1 = Math.imul(h1 ^ (kindId + 1), 0x01000193);
      h2 = Math.imul(h2 ^ store.highWater, 0x5bd1e995);
      // Page by page through the page table: a page's frame is wherever copy-on-write put it.
      const wordsPerPage = store.layout.pageBytes / 4;
      for (let p = 0; p < store.usedPages; p++) {
        const page = store.page(p);
        const words = new Int32Array(page.buffer, page.byteOffset, wordsPerPage);
        for (let i = 0; i < words.length; i++) {
          const w = words[i]!;
          h1 = Math.imul(h1 ^ w, 0x01000193);
          h2 = Math.imul(h2 ^ (w >>> 16) ^ (w << 16), 0x5bd1e995) ^ (h2 >>> 15);
        }
      }
    });
    return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  }
}
