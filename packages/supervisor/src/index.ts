// Explicit named exports only (STYLE.md §1).
export { ActorSupervisionGroup, type ActorGroupPolicy, type ActorSupervisionGroupOptions, type FailureDecision, type GroupState } from './actorSupervisionGroup.js';
export { backoffDelay, jitterUnit } from './backoff.js';
export { isAbnormal, type Child, type ChildSpec, type ChildTemplate, type ExitReason } from './child.js';
export { systemClock, type Clock, type Timer } from './clock.js';
export { createSupervisor, supervisorSpec } from './createSupervisor.js';
export { isSupervisorError, SupervisorError, type SupervisorErrorCode } from './errors.js';
export {
  parsePolicy,
  type IsolationLevel,
  type ParsedSupervision,
  type ParsePolicyOptions,
  type RestartPolicyName,
  type StaticStrategy,
} from './parsePolicy.js';
export type { BackoffPolicy, Intensity, RestartType } from './policy.js';
export type {
  ChildInfo,
  DynamicSupervisor,
  DynamicSupervisorOptions,
  StaticSupervisorOptions,
  Strategy,
  Supervisor,
  SupervisorEvent,
  SupervisorState,
  TreeIntensity,
} from './supervisor.js';
