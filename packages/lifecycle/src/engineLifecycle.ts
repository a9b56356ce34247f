/**
 * The engine's lifecycle as one automaton. The engine drives it (`send('start')`, …) and refuses
 * an operation exactly when the machine refuses its event, so "can I pause now?" has one answer.
 */
import { createMachine } from './createMachine.js';
import { defineMachine } from './defineMachine.js';
import type { Machine, MachineDefinition, MachineOptions } from './machine.js';

/** Where the engine is in its life. */
export type EngineState =
  | 'created'
  | 'starting'
  | 'running'
  | 'paused'
  | 'stepping'
  | 'rewinding'
  | 'stopping'
  | 'stopped'
  | 'failed'
  | 'recovering';

/** What moves the engine between {@link EngineState}s. Past-tense events report that work finished. */
export type EngineEvent =
  | 'start'
  | 'started'
  | 'startedPaused'
  | 'pause'
  | 'resume'
  | 'step'
  | 'stepped'
  | 'rewind'
  | 'rewound'
  | 'stop'
  | 'stopped'
  | 'fail'
  | 'recover'
  | 'recovered';

/**
 * The engine's transition table. `fail` applies everywhere except `stopped` (final) and `failed`
 * (already there; a second failure while failed is the supervisor's business, not a transition).
 */
export const ENGINE_LIFECYCLE: MachineDefinition<EngineState, EngineEvent> = defineMachine<EngineState, EngineEvent>({
  initial: 'created',
  transitions: {
    created: { start: 'starting', stop: 'stopping' },
    starting: { started: 'running', startedPaused: 'paused' },
    running: { pause: 'paused', rewind: 'rewinding', stop: 'stopping' },
    paused: { resume: 'running', step: 'stepping', rewind: 'rewinding', stop: 'stopping' },
    stepping: { stepped: 'paused' },
    rewinding: { rewound: 'paused' },
    stopping: { stopped: 'stopped' },
    stopped: {},
    failed: { recover: 'recovering', stop: 'stopping' },
    recovering: { recovered: 'paused' },
  },
  anyState: { fail: 'failed' },
  anyStateExcept: ['stopped', 'failed'],
});

/** A new engine lifecycle machine in `created`. */
export function createEngineLifecycle(options: MachineOptions<EngineState, EngineEvent> = {}): Machine<EngineState, EngineEvent> {
  return createMachine(ENGINE_LIFECYCLE, options);
}
