// Explicit named exports only (STYLE.md §1).
export type {
  Machine,
  MachineDefinition,
  MachineOptions,
  MachineSpec,
  Transition,
  TransitionListener,
} from './machine.js';
export { DEFAULT_HISTORY_LIMIT } from './machine.js';
export { defineMachine } from './defineMachine.js';
export { createMachine } from './createMachine.js';
export { ENGINE_LIFECYCLE, createEngineLifecycle, type EngineEvent, type EngineState } from './engineLifecycle.js';
export { describeRetention, type NormalizedRetention, type RetentionPolicy } from './retention.js';
export { Timeline, type TimelineOptions } from './timeline.js';
export type { RetainedSnapshot } from './tickSearch.js';
export {
  LifecycleError,
  TickNotRetainedError,
  TransitionNotAllowedError,
  isLifecycleError,
  type LifecycleErrorCode,
} from './errors.js';
