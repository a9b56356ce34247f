/**
 * Rewind to any retained tick. At every tick boundary the world is sealed: each kind's page table
 * (one int per page; the pages themselves are shared copy-on-write frames, see actors'
 * frameTable.ts), its counts and free list, and the messages in flight. The seals live in the
 * lifecycle package's `Timeline`, which applies the retention policy and hands back each seal it
 * drops so its frames can be reused. Rewinding puts a seal's tables back: the cost grows with
 * the number of pages and kinds, not with the bytes of actor state.
 *
 * Main thread only, between ticks.
 */
import type { KindSeal } from '@concurrengine/actors';
import { Timeline, TickNotRetainedError, type RetentionPolicy } from '@concurrengine/lifecycle';

import { EngineError } from './errors.js';
import type { MailboxSeal } from './messagePlane.js';
import type { SpatialBounds } from './spatial.js';
import type { EngineSupervision, SupervisionSeal } from './supervision.js';
import type { World } from './world.js';

/** The world at one tick boundary. */
export interface WorldSeal {
  readonly kinds: readonly KindSeal[];
  readonly pending: MailboxSeal;
  readonly supervision?: SupervisionSeal;
  /** Control state that changes what ticks do (a fault drill's rates), as it stood at the seal. */
  readonly controls?: Controls;
  /**
   * The spatial index's world box at the seal: a box derived from the actors is derived again as
   * they spread, and sorts order actors by it, so a rewind must bring back the box of its tick.
   */
  readonly spatialBounds?: SpatialBounds;
}

/** Control words a seal keeps, read and written through the engine. */
export interface Controls {
  readonly handlerThrowRate: number;
  readonly workerExitRate: number;
}

export interface RetentionStats {
  /** Retained ticks, oldest first. */
  readonly ticks: readonly number[];
  /** Bytes of page frames that only sealed ticks hold (the live world's pages not counted). */
  readonly retainedBytes: number;
  /** Bytes of messages in flight that the seals hold. */
  readonly pendingBytes: number;
  /** Bytes of every page frame made so far (live, sealed and free for reuse): the memory really held. */
  readonly frameBytes: number;
}

export class Rollback {
  private readonly timeline: Timeline<WorldSeal>;
  private pendingBytes = 0;
  /** Set by the engine when actors are supervised: their restart state is part of every seal. */
  supervision: EngineSupervision | undefined;
  /** Set by the engine: the control words a seal keeps. */
  controls: { read(): Controls; write(controls: Controls): void } | undefined;
  /** Set by the engine when it has a spatial index: the world box a seal keeps. */
  spatialBounds: (() => SpatialBounds | undefined) | undefined;
  private started = false;

  constructor(
    private readonly world: World,
    private readonly mailbox: { seal(): MailboxSeal; restore(seal: MailboxSeal): void },
    retention: RetentionPolicy,
  ) {
    this.timeline = new Timeline<WorldSeal>({
      retention,
      release: (seal) => {
        this.pendingBytes -= seal.pending.lanes.byteLength;
        seal.kinds.forEach((kind, kindId) => this.world.stores[kindId]!.release(kind));
      },
    });
  }

  /** Seals the world as `tick` unless that tick is sealed already (the state before the first tick). */
  sealIfNew(tick: number, again = false): void {
    if (!this.started || again) this.seal(tick);
    this.started = true;
  }

  /**
   * At the boundary after tick `tick - 1`: the world as it stands is tick `tick`. A tick that the
   * policy would drop at once is not sealed at all, so keeping only every K-th tick costs the
   * copy-on-write of one tick in K.
   */
  seal(tick: number): void {
    const { recent, every = 0 } = this.timeline.retention;
    if (recent === 0 && (every === 0 || tick % every !== 0)) return;
    const pending = this.mailbox.seal();
    this.pendingBytes += pending.lanes.byteLength;
    const supervision = this.supervision?.seal();
    const controls = this.controls?.read();
    const spatialBounds = this.spatialBounds?.();
    this.timeline.seal(tick, { kinds: this.world.stores.map((store) => store.seal()), pending, ...(supervision ? { supervision } : {}), ...(controls ? { controls } : {}), ...(spatialBounds ? { spatialBounds } : {}) });
    const oldest = this.timeline.oldest;
    const kept = oldest === undefined ? undefined : this.timeline.get(oldest).supervision;
    if (kept) this.supervision?.trimBefore(kept);
  }

  /** Throws `ENGINE_TICK_NOT_RETAINED` (naming the retained range) unless `tick` can be rewound to. */
  check(tick: number): void {
    try {
      this.timeline.get(tick);
    } catch (error) {
      if (!(error instanceof TickNotRetainedError)) throw error;
      throw new EngineError('ENGINE_TICK_NOT_RETAINED', `rewind(${tick}): ${error.message}`, { cause: error });
    }
  }

  /** Makes `tick` current and forgets the ticks after it (running forward seals them again). */
  rewind(tick: number): void {
    this.check(tick);
    const seal = this.timeline.get(tick);
    seal.kinds.forEach((kind, kindId) => this.world.stores[kindId]!.restore(kind));
    this.mailbox.restore(seal.pending);
    if (seal.supervision) this.supervision?.restore(seal.supervision);
    if (seal.controls) this.controls?.write(seal.controls);
    this.timeline.truncateAfter(tick);
  }

  /** The seal of `tick`, if retained. */
  sealOf(tick: number): WorldSeal | undefined {
    return this.timeline.has(tick) ? this.timeline.get(tick) : undefined;
  }

  /** The newest retained tick at or before `tick` (where a rewind between keyframes starts), if any. */
  nearestAtOrBefore(tick: number): number | undefined {
    return this.timeline.nearestAtOrBefore(tick)?.tick;
  }

  /** Whether `tick` is retained. */
  has(tick: number): boolean {
    return this.timeline.has(tick);
  }

  /** The oldest retained tick, if any. */
  get oldest(): number | undefined {
    return this.timeline.oldest;
  }

  /** The newest retained tick, if any. */
  get latest(): number | undefined {
    return this.timeline.latest;
  }

  stats(): RetentionStats {
    let retainedBytes = 0;
    let frameBytes = 0;
    for (const store of this.world.stores) {
      const { made, free, pageBytes } = store.frameStats();
      retainedBytes += (made - free - store.usedPages) * pageBytes;
      frameBytes += made * pageBytes;
    }
    return { ticks: this.timeline.ticks(), retainedBytes, pendingBytes: this.pendingBytes, frameBytes };
  }

  /** Drops every seal (frames go back to the stores). */
  clear(): void {
    this.timeline.clear();
  }
}
