/**
 * Restore from cold storage: the nearest stored tick at or before the one asked for goes into the
 * world, and the ticks after it are set to re-execute with the recorded inputs. Warm (the same
 * engine rewinding past its window) the inputs are still in the engine's journal; cold (a new
 * process replaying a directory) they are read from the stored ticks after it, whose metas carry
 * the inputs since the tick before — their metas alone, as the re-execution reaches them
 * (storedInputs.ts), so a damaged later tick limits how far a replay goes, not where it starts.
 */
import type { SnapshotStore } from '@concurrengine/snapshot';

import { EngineError } from './errors.js';
import type { TickCore } from './tickCore.js';
import { StoredInputs } from './storedInputs.js';
import { decodeMeta, loadWorld, pendingOf } from './worldImage.js';
import type { World } from './world.js';

/** The nearest stored tick at or before `tick`; `ENGINE_TICK_NOT_RETAINED` naming what is stored when there is none. */
export async function nearestStored(store: SnapshotStore, tick: number, where: string): Promise<{ readonly stored: number; readonly ticks: readonly number[] }> {
  const ticks = await store.listTicks();
  let stored: number | undefined;
  for (const t of ticks) if (t <= tick) stored = t;
  if (stored === undefined) {
    throw new EngineError(
      'ENGINE_TICK_NOT_RETAINED',
      ticks.length === 0
        ? `tick ${tick}: ${where} holds no ticks`
        : `tick ${tick} is before everything ${where} holds: the oldest stored tick is ${ticks[0]} (${ticks.length} ticks, up to ${ticks[ticks.length - 1]})`,
    );
  }
  return { stored, ticks };
}

/**
 * Loads the nearest stored tick at or before `tick`. Warm, the ticks up to where the engine was
 * re-execute from its journal; cold, the ticks up to the last stored one re-execute with the
 * inputs the later stored ticks carry, read when a tick needs them (`core.storedInputs`), and
 * take live input after that. Cold with `ownsStore`, the store is closed once nothing more is to
 * be read from it (or at the engine's close); on a failure here the caller closes it.
 */
export async function restoreStored(core: TickCore, world: World, store: SnapshotStore, tick: number, where: string, cold: false | { readonly ownsStore: boolean }): Promise<number> {
  const { stored, ticks } = await nearestStored(store, tick, where);
  const snapshot = await store.readTick(stored);
  const meta = decodeMeta(snapshot.meta, `${where}, tick ${stored}`);
  loadWorld(world, meta, snapshot.pages, `${where}, tick ${stored}`);
  if (meta.spatialBounds) core.adoptSpatialBounds(meta.spatialBounds);
  if (meta.supervision) core.supervision?.loadStored(meta.supervision);
  if (meta.controls) core.applyDrill?.(meta.controls.handlerThrowRate, meta.controls.workerExitRate);
  let until = core.tick;
  if (cold) {
    const later = ticks.filter((t) => t > stored);
    until = later[later.length - 1] ?? stored;
    await core.storedInputs?.close();
    core.storedInputs = new StoredInputs(store, stored, later, core.journal, where, cold.ownsStore);
    if (later.length === 0) await core.storedInputs.close();
  }
  core.loadStored(stored, pendingOf(meta), until);
  return stored;
}
