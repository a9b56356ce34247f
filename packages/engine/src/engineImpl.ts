/**
 * `createEngine`, loaded only where an engine runs. The user's program runs in every pool worker
 * too (to register its kinds), and it imports the engine; there `build()` returns a joining engine
 * and `createEngine`'s module graph — lifecycle, snapshot store, telemetry, supervisors — would be
 * parsed and kept for nothing, costing each worker megabytes (RSS per actor is one of our goals).
 * So the implementation is imported here only outside a joining worker.
 */
import type { Engine } from './engineApi.js';
import type { EngineOptions } from './createEngine.js';
import { EngineError } from './errors.js';
import { joiningState } from './joining.js';

const implementation = joiningState() ? undefined : await import('./createEngine.js');

export type { EngineOptions } from './createEngine.js';

/** Makes an engine (see createEngine.ts). In a pool worker that is joining, use `Engine.builder().build()`. */
export function createEngine(options: EngineOptions = {}): Engine {
  if (!implementation) {
    throw new EngineError('ENGINE_NOT_RUNNING', 'createEngine() in an engine worker thread: this thread only joins the pool (Engine.builder().build() returns a joining engine here)');
  }
  return implementation.createEngine(options);
}
