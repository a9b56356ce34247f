/**
 * Writes every K-th tick to a `SnapshotStore` without the tick loop waiting on the disk. At the
 * boundary the world is sealed (page tables only: the frames a seal holds are not written again,
 * so the store reads them in place, in its own worker, while the next ticks run on copies). A
 * page whose frame is the one the previous stored tick had cannot have changed: it goes as that
 * tick's key, neither hashed nor written again.
 *
 * When the disk falls behind: at most `maxQueued` writes are in flight; a due tick beyond that is
 * skipped and counted — never an unbounded queue (each queued write holds a sealed world). A
 * failed write (full disk, permissions) is counted with its error; the engine runs on, and the
 * ticks stored before stay readable (the store publishes a tick only once it is durable), and the
 * writer stays down — due ticks skipped, counted — until its supervisor restarts it after a
 * wall-clock backoff (createEngine.ts, infrastructure.ts), so a full disk is not hammered.
 */
import type { KindSeal } from '@concurrengine/actors';
import type { PageKey, SnapshotStore } from '@concurrengine/snapshot';

import type { JournalEntry } from './journal.js';
import type { SpatialBounds } from './spatial.js';
import type { StoredSupervision, SupervisionOptions } from './supervision.js';
import type { Controls } from './rollback.js';
import type { MailboxSeal } from './messagePlane.js';
import type { StoredSpatial } from './storedSpatial.js';
import { encodeMeta } from './worldImage.js';
import type { World } from './world.js';

/**
 * Stored ticks kept when the policy names none (`[engine] snapshot_keep`'s default): at 600 ticks
 * between stored ticks, the last ~2.7 minutes of a 60 Hz run are replayable.
 */
export const DEFAULT_SNAPSHOT_KEEP = 16;

export interface SnapshotPolicy {
  /** Store every this many ticks (tick 0 included). */
  readonly every: number;
  /**
   * Keep the newest this many stored ticks; default {@link DEFAULT_SNAPSHOT_KEEP}, 0 keeps every
   * one. Older ticks go in batches: a compaction after every `keep`-th write, so up to
   * `2 · keep − 1` are stored between two compactions.
   */
  readonly keep?: number;
  /** Writes in flight before due ticks are skipped; default 2. */
  readonly maxQueued?: number;
}

/** What a stored tick records besides the world's pages. */
export interface WriterDescription {
  readonly seed: number;
  readonly program: string | undefined;
  /** Recorded with each tick so a replay runs at the same `ctx.delta()`. */
  readonly tickRateHz?: number;
  readonly journal: (from: number, to: number) => JournalEntry[];
  /** Supervision's state at this boundary, when actors are supervised. */
  readonly supervision?: () => StoredSupervision;
  /** Control state at this boundary (a fault drill's rates). */
  readonly controls?: () => Controls;
  /** The supervision settings, recorded so a replay supervises as the run did. */
  readonly supervisionOptions?: SupervisionOptions;
  /** The spatial index's world box, recorded so a replay sorts actors as the run did. */
  readonly spatialBounds?: () => SpatialBounds | undefined;
  /** The spatial index and its settings, recorded so a replay rebuilds the index the run used. */
  readonly spatialOptions?: () => StoredSpatial;
  /** After a compaction: the oldest tick still stored (inputs before it can go). */
  readonly compacted: (oldest: number | undefined) => void;
}

export interface SnapshotCounters {
  readonly written: number;
  readonly skipped: number;
  readonly failed: number;
  readonly bytesWritten: number;
  readonly pagesWritten: number;
  readonly pagesShared: number;
  readonly lastStoredTick: number | undefined;
  readonly lastError: Error | undefined;
}

interface Stored {
  readonly seals: readonly KindSeal[];
  readonly keys: readonly (readonly PageKey[])[];
}

export class SnapshotWriter {
  private inFlight = 0;
  private previous: Stored | undefined;
  /**
   * Every promise this writer started and has not seen settle: writes, the compactions they start
   * (and the listing after one), a rewind's compaction. `close()` waits until it is empty, so the
   * store is closed only after all of it (issue 15: a compaction that followed the last write asked
   * a closed store for its ticks). Each one is settled here, never rejected.
   */
  private readonly queued = new Set<Promise<void>>();
  private lastIssued = -1;
  private counters = { written: 0, skipped: 0, failed: 0, bytesWritten: 0, pagesWritten: 0, pagesShared: 0 };
  private lastStoredTick: number | undefined;
  /** After a failed write, until the infrastructure supervisor restarts the writer (`up`). */
  private down = false;
  /** Told about a failed write: the supervisor's cue to restart after its backoff. */
  onFailure: ((error: Error) => void) | undefined;
  private lastError: Error | undefined;

  constructor(
    readonly store: SnapshotStore,
    private readonly world: World,
    private readonly policy: SnapshotPolicy,
    private readonly describe: WriterDescription,
  ) {}

  /** Writes again (the supervisor restarted it). */
  up(): void {
    this.down = false;
  }

  /** Whether `tick` is due. */
  due(tick: number): boolean {
    return tick % this.policy.every === 0;
  }

  /** At a boundary: stores `tick` if it is due (or `force`), unless the disk is too far behind. */
  maybeWrite(tick: number, pending: () => MailboxSeal, force = false): void {
    if (!(force || this.due(tick)) || tick <= this.lastIssued) return;
    if (this.down && !force) {
      // The store failed; its supervisor brings it back after a backoff. Until then: skip, counted.
      this.counters.skipped++;
      return;
    }
    // A forced write (the final tick, at close) is never skipped: it is the end of the recording.
    if (!force && this.inFlight >= (this.policy.maxQueued ?? 2)) {
      this.counters.skipped++;
      return;
    }
    const seals = this.world.stores.map((store) => store.seal());
    // The store reads these frames in place while the next ticks run: reserve copies for the pages
    // the next jobs write (retention does this each tick; without it nothing else would).
    this.world.prepareWrites();
    const previous = this.previous;
    const pages: (ArrayBufferView | PageKey)[] = [];
    seals.forEach((seal, kindId) => {
      const store = this.world.stores[kindId]!;
      const before = previous?.seals[kindId];
      for (let p = 0; p < seal.frames.length; p++) {
        const frame = seal.frames[p]!;
        const key = before && p < before.frames.length && before.frames[p] === frame ? previous.keys[kindId]![p] : undefined;
        pages.push(key ?? store.frameBytes(frame));
      }
    });
    const meta = encodeMeta(this.world, seals, tick, this.describe.seed, pending(), this.describe.journal(this.lastIssued < 0 ? 0 : this.lastIssued, tick), this.describe.program, this.describe.tickRateHz, this.describe.supervision?.(), this.describe.controls?.(), this.describe.supervisionOptions, this.describe.spatialBounds?.(), this.describe.spatialOptions?.());
    this.lastIssued = tick;
    this.inFlight++;
    const write = this.store.writeTick({ tick, meta, pages }).then(
      (result) => {
        this.counters.written++;
        this.counters.bytesWritten += result.bytesWritten;
        this.counters.pagesWritten += result.pagesWritten;
        this.counters.pagesShared += result.pagesShared;
        this.lastStoredTick = tick;
        const keys: PageKey[][] = [];
        let at = 0;
        for (const seal of seals) {
          keys.push(result.pageKeys.slice(at, at + seal.frames.length) as PageKey[]);
          at += seal.frames.length;
        }
        // The previous stored tick's frames may be reused now: this tick is the reference.
        this.releaseSeals(this.previous?.seals);
        this.previous = { seals, keys };
        const keep = this.policy.keep ?? DEFAULT_SNAPSHOT_KEEP;
        if (keep > 0 && this.counters.written % keep === 0) return this.compact();
        return undefined;
      },
      (error: unknown) => {
        this.counters.failed++;
        this.lastError = error as Error;
        this.releaseSeals(seals);
        this.down = true;
        this.onFailure?.(error as Error);
      },
    );
    this.track(write.finally(() => this.inFlight--));
  }

  /** Drops stored ticks after `tick` (the engine rewound and went another way). */
  forgetAfter(tick: number): void {
    this.lastIssued = Math.min(this.lastIssued, tick);
    this.releaseSeals(this.previous?.seals);
    this.previous = undefined;
    // Issued now, so it lands before any later write (the store applies calls in call order).
    this.track(this.store.compact({ keep: (t) => t <= tick }));
  }

  /** Whether ticks up to `tick` are stored or on their way (a re-run after a rewind need not write them again). */
  issuedUpTo(): number {
    return this.lastIssued;
  }

  stats(): SnapshotCounters {
    return { ...this.counters, lastStoredTick: this.lastStoredTick, lastError: this.lastError };
  }

  /** Waits for every write issued so far, and for whatever they started (a compaction). */
  async flush(): Promise<void> {
    // A write that settles may start a compaction: wait again until nothing is left.
    while (this.queued.size > 0) await Promise.all(this.queued);
  }

  /** Waits for the writes and what they started, lets go of the seals, then closes the store. */
  async close(): Promise<void> {
    await this.flush();
    this.releaseSeals(this.previous?.seals);
    this.previous = undefined;
    await this.store.close();
  }

  private compact(): Promise<void> {
    const keep = this.policy.keep ?? DEFAULT_SNAPSHOT_KEEP;
    // The listing is chained into the write's promise (tracked), so close() waits for it as well.
    return this.store.compact({ keepLast: keep }).then(async () => this.describe.compacted((await this.store.listTicks())[0]));
  }

  /** Keeps `promise` until it settles; a rejection is counted as a failure, never left unhandled. */
  private track(promise: Promise<unknown>): void {
    const settled = promise.then(
      () => undefined,
      (error: unknown) => {
        this.counters.failed++;
        this.lastError = error instanceof Error ? error : new Error(String(error));
      },
    );
    this.queued.add(settled);
    void settled.finally(() => this.queued.delete(settled));
  }

  private releaseSeals(seals: readonly KindSeal[] | undefined): void {
    seals?.forEach((seal, kindId) => this.world.stores[kindId]!.release(seal));
  }
}
