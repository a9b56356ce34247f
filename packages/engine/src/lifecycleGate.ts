/**
 * The engine's lifecycle automaton (from `@concurrengine/lifecycle`) as the one authority on what
 * the engine may do now: every operation that changes the engine's life first asks the machine,
 * and a refusal is a typed `ENGINE_STATE` error naming the operation, the state and what the
 * state allows — never a silent no-op.
 */
import { createEngineLifecycle, ENGINE_LIFECYCLE, type EngineEvent, type EngineState, type Machine, type Transition } from '@concurrengine/lifecycle';

import { EngineError } from './errors.js';

/** Every state, in declaration order (for the telemetry gauge). */
export const ENGINE_STATES: readonly EngineState[] = ENGINE_LIFECYCLE.states;

export class LifecycleGate {
  private readonly machine: Machine<EngineState, EngineEvent> = createEngineLifecycle();

  get state(): EngineState {
    return this.machine.state;
  }

  can(event: EngineEvent): boolean {
    return this.machine.can(event);
  }

  /** Takes `event`, or throws `ENGINE_STATE` for `operation` (e.g. `step()`). */
  enter(event: EngineEvent, operation: string): void {
    if (!this.machine.can(event)) {
      const allowed = this.machine.allowed();
      throw new EngineError(
        'ENGINE_STATE',
        `${operation} is not allowed while the engine is ${this.machine.state} (the lifecycle allows ${allowed.length > 0 ? allowed.join(', ') : 'nothing more'} there)`,
      );
    }
    this.machine.send(event);
  }

  /** Takes `event` if the state allows it (the end of an operation that may have been overtaken, e.g. by close()). */
  settle(event: EngineEvent): void {
    if (this.machine.can(event)) this.machine.send(event);
  }

  subscribe(listener: (transition: Transition<EngineState, EngineEvent>) => void): () => void {
    return this.machine.subscribe(listener);
  }
}
