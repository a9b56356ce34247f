/**
 * An engine's storage, attached once before its first tick: the snapshot writer over a store
 * (a directory or the user's store), run under an infrastructure supervisor that brings it back
 * after a failed write with wall-clock backoff; and a restore — the nearest stored tick at or
 * before the one asked for, then the ticks up to it re-executed with the recorded inputs.
 */
import { openFileSnapshotStore, type SnapshotStore } from '@concurrengine/snapshot';
import type { Supervisor } from '@concurrengine/supervisor';

import { EngineError } from './errors.js';
import { startInfrastructure, type InfrastructureOptions } from './infrastructure.js';
import { restoreStored } from './restoreStored.js';
import { SnapshotWriter, type SnapshotPolicy, type WriterDescription } from './snapshotWriter.js';
import type { TickCore } from './tickCore.js';
import type { World } from './world.js';

export interface StorageOptions {
  readonly snapshots?: SnapshotPolicy & { readonly dir?: string; readonly store?: SnapshotStore };
  readonly restore?: { readonly dir?: string; readonly store?: SnapshotStore; readonly tick: number };
  /** What each stored tick records besides the world. */
  readonly describe: WriterDescription;
  readonly infrastructure?: InfrastructureOptions;
  supervised(supervisor: Supervisor): void;
  /** Runs ticks until the engine is at `tick` (after a restore). */
  runUntil(tick: number): Promise<void>;
  /** Told once a restore reached its tick. */
  restored(): void;
}

export async function attachStorage(tickCore: TickCore, world: World, options: StorageOptions): Promise<void> {
  if (options.snapshots) {
    const { dir, store, ...policy } = options.snapshots;
    if (!(Number.isInteger(policy.every) && policy.every >= 1)) throw new EngineError('ENGINE_INVALID_ARGUMENT', `snapshots.every must be an integer ≥ 1; got ${String(policy.every)}`);
    if (policy.maxQueued !== undefined && !(Number.isInteger(policy.maxQueued) && policy.maxQueued >= 1)) throw new EngineError('ENGINE_INVALID_ARGUMENT', `snapshots.maxQueued must be an integer ≥ 1; got ${String(policy.maxQueued)}`);
    if (policy.keep !== undefined && !(Number.isInteger(policy.keep) && policy.keep >= 0)) throw new EngineError('ENGINE_INVALID_ARGUMENT', `snapshots.keep must be an integer ≥ 0 (0 keeps every stored tick); got ${String(policy.keep)}`);
    if (!store && !dir) throw new EngineError('ENGINE_INVALID_ARGUMENT', 'snapshots need a dir or a store');
    const writer = new SnapshotWriter(store ?? (await openFileSnapshotStore(dir!, { create: true, yieldTo: tickCore.busy })), world, policy, options.describe);
    tickCore.snapshots = writer;
    options.supervised(
      await startInfrastructure(
        {
          snapshots: {
            start: async (failed) => {
              writer.up();
              writer.onFailure = failed;
              return async () => void (writer.onFailure = undefined);
            },
          },
        },
        options.infrastructure,
      ),
    );
  }
  if (options.restore) {
    // One read before the first tick: on this thread (a store worker's start-up cost more than the read).
    const ownsStore = !options.restore.store;
    const source = options.restore.store ?? (await openFileSnapshotStore(options.restore.dir!, { create: false, worker: false }));
    try {
      await restoreStored(tickCore, world, source, options.restore.tick, options.restore.dir ?? 'the snapshot store', { ownsStore });
    } catch (error) {
      if (ownsStore) await source.close();
      throw error;
    }
    // The store stays open while later stored ticks' inputs are still to be read (tickCore.storedInputs closes it).
    await options.runUntil(options.restore.tick);
    options.restored();
  }
}
