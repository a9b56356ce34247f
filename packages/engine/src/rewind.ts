/**
 * `engine.rewind(tick)`: a tick retained in memory is put back at once (page tables, see
 * rollback.ts); past that window, the nearest stored tick is read back and the ticks up to the one
 * asked for re-execute with the journaled inputs. Either way the engine ends paused at `tick`,
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
  if (rollback?.has(tick) || !snapshots) {
    if (!rollback) throw new EngineError('ENGINE_NO_RETENTION', `${operation}: no ticks are retained; enable retention with Engine.builder().retain({ recent }) or options.retention`);
    rollback.check(tick);
    gate.enter('rewind', operation);
    tickCore.rewindTo(tick);
    gate.settle('rewound');
    return;
  }
  if (tick > tickCore.tick) throw new EngineError('ENGINE_TICK_NOT_RETAINED', `${operation}: tick ${tick} has not happened yet (the engine is at tick ${tickCore.tick})`);
  await snapshots.flush();
  await nearestStored(snapshots.store, tick, 'the snapshot store'); // refuses before anything changes
  gate.enter('rewind', operation);
  try {
    await restoreStored(tickCore, world, snapshots.store, tick, 'the snapshot store', false);
    await runUntil(tick);
  } catch (error) {
    gate.settle('fail');
    throw error;
  }
  gate.settle('rewound');
}
