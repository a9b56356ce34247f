/**
 * What a snapshot store holds for a tick, read without an engine: which stored tick a restore of
 * `tick` starts from, the program and seed that made it, and its kinds. `concurrengine replay`
 * reads this to know which program to import before any engine exists.
 */
import type { SnapshotStore } from '@concurrengine/snapshot';

import { nearestStored } from './restoreStored.js';
import { readStoredMeta } from './storedInputs.js';
import type { StoredSpatial } from './storedSpatial.js';
import type { SupervisionOptions } from './supervision.js';
import { decodeMeta } from './worldImage.js';

export interface StoredTickInfo {
  /** The tick asked for. */
  readonly tick: number;
  /** The nearest stored tick at or before it: a restore loads this one and re-executes the rest. */
  readonly stored: number;
  /** Every tick the store holds, ascending. */
  readonly ticks: readonly number[];
  /** The program module (a URL) that made the world, when a host ran it. */
  readonly program: string | undefined;
  readonly seed: number;
  /** The tick rate the world ran at; undefined for ticks stored before it was recorded. */
  readonly tickRateHz: number | undefined;
  readonly kinds: readonly { readonly name: string; readonly live: number; readonly pages: number }[];
  /** The run's supervision settings, when its actors were supervised (a replay must supervise alike). */
  readonly supervision: SupervisionOptions | undefined;
  /** The spatial index the run used and its settings (a replay must rebuild that one); undefined for ticks stored before it was recorded. */
  readonly spatial: StoredSpatial | undefined;
}

/**
 * Reads the meta of the stored tick a restore of `tick` would start from: the meta alone where the
 * store has `readMeta` (its pages are read and checked by the restore), else the whole tick.
 * @throws EngineError ENGINE_TICK_NOT_RETAINED naming the oldest stored tick; ENGINE_SNAPSHOT_INVALID
 * @throws SnapshotError SNAPSHOT_CORRUPT and the store's other read errors
 */
export async function describeStoredTick(store: SnapshotStore, tick: number, where = 'the snapshot store'): Promise<StoredTickInfo> {
  const { stored, ticks } = await nearestStored(store, tick, where);
  const meta = decodeMeta(await readStoredMeta(store, stored), `${where}, tick ${stored}`);
  return {
    tick,
    stored,
    ticks,
    program: meta.program,
    seed: meta.seed,
    tickRateHz: meta.tickRateHz,
    kinds: meta.kinds.map((k) => ({ name: k.name, live: k.live, pages: k.pages })),
    supervision: meta.supervisionOptions,
    spatial: meta.spatialOptions,
  };
}
