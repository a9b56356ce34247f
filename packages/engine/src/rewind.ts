/**
 * `engine.rewind(tick)`: a tick retained in memory is put back at once (page tables, see
 * rollback.ts). A tick between retained ones (keyframe retention keeps every `every`-th tick
 * only) is the nearest retained tick before it put back, then the ticks up to the one asked for
 * re-executed with the journaled inputs. Past the in-memory window, the nearest stored tick is
 * read back from disk and re-executed the same way. Either way the engine ends paused at `tick`,
 * and a failure half-way leaves it `failed` (recover() then), never half-rewound and running.
 */
import { EngineError } from './errors.js';
import type { LifecycleGate } from './lifecycleGate.js';
import { nearestStored, restoreStored } from './restoreStored.js';
import type { TickCore } from './tickCore.js';
import type { World } from './world.js';

export async function rewindEngine(tickCore: TickCore | undefined, world: World, gate: LifecycleGate, tick: number, runUntil: (tick: number) => Promise<void>): Promise<void> {
  const operation = `rewind(${tick})`;
  if (!gate.can('rewind') || !tickCore) return gate.enter('rewind', operation); // throws ENGINE_STATE
  const { rollback, snapshots } = tickCore;
  if (!rollback && !snapshots) throw new EngineError('ENGINE_NO_RETENTION', `${operation}: no ticks are retained; enable retention with Engine.builder().retain({ recent }) or options.retention`);
  if (rollback?.has(tick)) {
    gate.enter('rewind', operation);
    tickCore.rewindTo(tick);
    gate.settle('rewound');
    return;
  }
  if (!Number.isSafeInteger(tick) || tick < 0) throw new EngineError('ENGINE_INVALID_ARGUMENT', `${operation}: a tick is a non-negative integer`);
  if (tick > tickCore.tick) throw new EngineError('ENGINE_TICK_NOT_RETAINED', `${operation}: tick ${tick} has not happened yet (the engine is at tick ${tickCore.tick})`);
  const keyframe = rollback?.nearestAtOrBefore(tick);
  if (keyframe !== undefined) return reexecute(gate, operation, tick, runUntil, async () => tickCore.rewindTo(keyframe));
  if (!snapshots) {
    rollback!.check(tick); // throws ENGINE_TICK_NOT_RETAINED, naming the oldest tick retained
    return;
  }
  await snapshots.flush();
  await nearestStored(snapshots.store, tick, 'the snapshot store'); // refuses before anything changes
  return reexecute(gate, operation, tick, runUntil, async () => {
    await restoreStored(tickCore, world, snapshots.store, tick, 'the snapshot store', false);
  });
}

/** Puts an earlier state back (`restore`) and runs forward to `tick` on the journal's inputs. */
async function reexecute(gate: LifecycleGate, operation: string, tick: number, runUntil: (tick: number) => Promise<void>, restore: () => Promise<void>): Promise<void> {
  gate.enter('rewind', operation);
  try {
    await restore();
    await runUntil(tick);
  } catch (error) {
    gate.settle('fail');
    throw error;
  }
  gate.settle('rewound');
}
