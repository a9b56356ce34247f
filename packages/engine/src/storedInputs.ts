/**
 * The recorded inputs of a cold restore, read as the re-execution reaches them. Each stored tick's
 * meta carries the inputs of the ticks since the stored tick before it, so re-executing tick t
 * needs the metas of the stored ticks up to the first one after t: never their pages, and never a
 * stored tick further on. A damaged later tick therefore stops a replay where its inputs are
 * needed (`ENGINE_REPLAY_INPUTS_UNREADABLE`, between ticks), not where it starts — and replaying
 * the oldest stored tick costs no more reading than the newest.
 */
import { isSnapshotError, type SnapshotStore } from '@concurrengine/snapshot';

import { EngineError } from './errors.js';
import type { InputJournal } from './journal.js';
import { decodeMeta, journalOf } from './worldImage.js';

/** A stored tick's meta: alone when the store can (`readMeta`), else read with its pages. */
export async function readStoredMeta(store: SnapshotStore, tick: number): Promise<Uint8Array> {
  return store.readMeta ? store.readMeta(tick) : (await store.readTick(tick)).meta;
}

export class StoredInputs {
  /** Index in `later` of the next stored tick to read. */
  private next = 0;
  /** The journal holds the recorded inputs of every tick below this. */
  private covered: number;
  /** Why `later[next]` could not be read: every later call needing it fails alike. */
  private failure: unknown;
  private closing: Promise<void> | undefined;

  /**
   * @param from the stored tick the restore loaded
   * @param later the stored ticks after it, ascending
   * @param ownsStore whether to close `store` once nothing more is to be read from it
   */
  constructor(
    private readonly store: SnapshotStore,
    from: number,
    private readonly later: readonly number[],
    private readonly journal: InputJournal,
    private readonly where: string,
    private readonly ownsStore: boolean,
  ) {
    this.covered = from;
  }

  /**
   * Makes sure the journal holds the recorded inputs of `tick` (a tick about to re-execute).
   * @throws EngineError ENGINE_REPLAY_INPUTS_UNREADABLE naming the stored tick (and file) that holds them
   */
  async ensure(tick: number): Promise<void> {
    while (this.covered <= tick && this.next < this.later.length) {
      const stored = this.later[this.next]!;
      if (this.failure === undefined) {
        try {
          const meta = decodeMeta(await readStoredMeta(this.store, stored), `${this.where}, tick ${stored}`);
          this.journal.load(journalOf(meta));
          this.covered = stored;
          this.next++;
          continue;
        } catch (error) {
          this.failure = error;
          await this.close(); // nothing after this tick can be replayed: let the files go
        }
      }
      throw this.unreadable(tick, stored);
    }
    if (this.next >= this.later.length) await this.close();
  }

  /** Lets go of the store (if the restore opened it): when all is read, after a failure, at the engine's close. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.ownsStore ? this.store.close() : Promise.resolve();
    return this.closing;
  }

  private unreadable(tick: number, stored: number): EngineError {
    const cause = this.failure;
    const file = isSnapshotError(cause) && cause.file !== undefined ? ` (${cause.file})` : '';
    const why = cause instanceof Error ? cause.message : String(cause);
    return new EngineError(
      'ENGINE_REPLAY_INPUTS_UNREADABLE',
      `replay stops before tick ${tick}: its recorded inputs travel with stored tick ${stored}${file} of ${this.where}, which cannot be read: ${why}. Ticks up to ${this.covered} replay; a restore of a later stored tick starts after it.`,
      { cause },
    );
  }
}
