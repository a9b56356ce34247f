/**
 * What every handler context of one thread shares: the control words and counters in shared
 * memory, the subscription table, the thread's kind ids, and the scratch actors that `ctx.spawn`
 * initialises before their values travel to the boundary.
 */
import { assertRecordType, KindStore, type ActorInstance, type ActorKind, type EventType, type PayloadFields } from '@concurrengine/actors';

import { EngineError } from './errors.js';
import { CTL_SEED, CTL_SUBSCRIBED, CTL_SUBSCRIBED_COUNT, CTL_SUBSCRIPTION_GENERATION, CTL_TICK, CTL_TRACE_MASK } from './protocol.js';
import type { NeighbourIndex } from '@concurrengine/spatial';

export class ThreadShared {
  readonly control: Int32Array;
  readonly stats: Float64Array;
  seed = 0;
  /** Slots with none of these bits set are traced (read per job); -1: off. */
  traceMask = -1;
  neighbourIndex: NeighbourIndex | undefined;
  private generation = -1;
  private subscribed = new Set<number>();
  private readonly kindIds = new Map<string, number>();
  private readonly scratch = new Map<number, { store: KindStore; writer: ActorInstance; lanes: Float64Array }>();

  constructor(
    control: SharedArrayBuffer,
    stats: SharedArrayBuffer,
    readonly delta: number,
    private readonly kinds: (kindId: number) => ActorKind | undefined,
  ) {
    this.control = new Int32Array(control);
    this.stats = new Float64Array(stats);
  }

  /** Re-reads what may change between batches; called at the start of every job. Returns the tick. */
  beginJob(): number {
    this.seed = Atomics.load(this.control, CTL_SEED);
    this.traceMask = Atomics.load(this.control, CTL_TRACE_MASK);
    const generation = Atomics.load(this.control, CTL_SUBSCRIPTION_GENERATION);
    if (generation !== this.generation) {
      this.generation = generation;
      const count = Atomics.load(this.control, CTL_SUBSCRIBED_COUNT);
      this.subscribed = new Set(Array.from({ length: count }, (_, i) => this.control[CTL_SUBSCRIBED + i]! >>> 0));
    }
    return Atomics.load(this.control, CTL_TICK);
  }

  /** One field read per emit in the steady state (the answer is cached on the type per generation). */
  isSubscribed<F extends PayloadFields>(event: EventType<F>): boolean {
    const cached = event.routing;
    if (cached >>> 1 === this.generation + 1) return (cached & 1) === 1;
    // Once per type and subscription change: a look-alike event is refused here, not counted.
    assertRecordType(event, 'event', 'ctx.emit()');
    const yes = this.subscribed.has(event.id);
    event.routing = ((this.generation + 1) << 1) | (yes ? 1 : 0);
    return yes;
  }

  /** Records a kind's id in this thread. */
  setKindId(name: string, kindId: number): void {
    this.kindIds.set(name, kindId);
  }

  kindIdOf(kind: ActorKind): number {
    const id = this.kindIds.get(kind.name);
    if (id === undefined) {
      throw new EngineError('ENGINE_KIND_UNREGISTERED', `ctx.spawn(${kind.name}): the kind is not registered with the engine; call engine.register(${kind.name}) before run()`);
    }
    return id;
  }

  /** Initialises a scratch actor of `kindId` with `init` and returns its field lanes (valid until the next call). */
  spawnLanes(kindId: number, init: ((actor: ActorInstance) => void) | undefined): Float64Array {
    let entry = this.scratch.get(kindId);
    if (!entry) {
      const kind = this.kinds(kindId)!;
      const store = new KindStore(kind, kindId, { maxActors: kind.layout.pageSize });
      const lanes = new Float64Array(kind.layout.columns.reduce((n, c) => n + c.spec.lanes, 0));
      entry = { store, writer: store.view(store.spawn()), lanes };
      this.scratch.set(kindId, entry);
    }
    const { store, writer, lanes } = entry;
    const page = store.page(0);
    let at = 0;
    store.layout.columns.forEach((column, k) => {
      const values = page.columns[k]!;
      for (let lane = 0; lane < column.spec.lanes; lane++) values[lane] = column.spec.initial[lane]!;
    });
    init?.(writer);
    store.layout.columns.forEach((column, k) => {
      const values = page.columns[k]!;
      for (let lane = 0; lane < column.spec.lanes; lane++) lanes[at++] = values[lane]!;
    });
    return lanes;
  }
}
