/**
 * The tree interfaces: supervisors with OTP's strategies, restart types and restart intensity,
 * plus backoff between restarts. `createSupervisor` is the implementation.
 */
import type { BackoffPolicy } from './policy.js';
import type { Child, ChildSpec, ChildTemplate, ExitReason } from './child.js';
import type { Clock } from './clock.js';
import type { SupervisorError } from './errors.js';

/** OTP restart strategies. */
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one' | 'simple_one_for_one';

/** OTP restart intensity: more than `maxRestarts` restarts within `withinMs` → give up and escalate. */
export interface TreeIntensity {
  readonly maxRestarts: number;
  readonly withinMs: number;
}

/** What observers see; the engine counts `restart`, `escalate` and `giveUp`. */
export type SupervisorEvent =
  | { readonly type: 'started'; readonly supervisor: string; readonly id: string }
  | { readonly type: 'exited'; readonly supervisor: string; readonly id: string; readonly reason: ExitReason }
  /** `children`: the ids restarted by this one restart (the failed child plus siblings per strategy). */
  | { readonly type: 'restart'; readonly supervisor: string; readonly id: string; readonly reason: ExitReason; readonly delay: number; readonly children: readonly string[] }
  /** A child exited and will not be restarted (temporary, or transient after a normal exit). */
  | { readonly type: 'giveUp'; readonly supervisor: string; readonly id: string; readonly reason: ExitReason }
  /** Restart intensity reached: the supervisor stops its children and exits with `reason`. */
  | { readonly type: 'escalate'; readonly supervisor: string; readonly reason: SupervisorError }
  /** A child's `stop()` rejected or outlived its `shutdown` time; it is treated as stopped. */
  | { readonly type: 'stopFailed'; readonly supervisor: string; readonly id: string; readonly reason: Error | 'timeout' };

interface SupervisorOptionsBase {
  /** Shown in events and errors (default `'supervisor'`). */
  readonly name?: string;
  /** Default `{ maxRestarts: 1, withinMs: 5000 }` (OTP's defaults). */
  readonly intensity?: TreeIntensity;
  /** Delay before each restart, in ms (default none, as OTP). */
  readonly backoff?: BackoffPolicy;
  /** Default {@link systemClock}. */
  readonly clock?: Clock;
  /** Seed of the backoff jitter (default 0). */
  readonly seed?: number;
  /** Called synchronously for each event; a throw is re-thrown in a new macrotask. */
  readonly onEvent?: (event: SupervisorEvent) => void;
}

export interface StaticSupervisorOptions extends SupervisorOptionsBase {
  readonly strategy: 'one_for_one' | 'one_for_all' | 'rest_for_one';
  /** Started in this order, stopped in the reverse. */
  readonly children: readonly ChildSpec[];
}

export interface DynamicSupervisorOptions<A> extends SupervisorOptionsBase {
  readonly strategy: 'simple_one_for_one';
  readonly child: ChildTemplate<A>;
}

/** Lifecycle of a supervisor. */
export type SupervisorState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** One row of `whichChildren()`. */
export interface ChildInfo {
  readonly id: string;
  /** `restarting`: waiting for its backoff or for siblings to restart. */
  readonly status: 'running' | 'stopped' | 'restarting';
  readonly restart: 'permanent' | 'transient' | 'temporary';
}

interface SupervisorBase extends Child {
  readonly name: string;
  readonly state: SupervisorState;
  /**
   * Starts the children in order. If one fails to start, those already started are stopped in
   * reverse order and the promise rejects.
   * @throws SupervisorError `SUPERVISOR_START_FAILED` (cause: the child's error), `SUPERVISOR_NOT_RUNNING` when not idle.
   */
  start(): Promise<void>;
  /**
   * Stops the child and, for a dynamic supervisor or a temporary child, forgets it.
   * @throws SupervisorError `SUPERVISOR_UNKNOWN_CHILD`
   */
  terminateChild(id: string): Promise<void>;
  /** Children in start order. */
  whichChildren(): ChildInfo[];
}

/** A supervisor with static children (`one_for_one`, `one_for_all`, `rest_for_one`). */
export interface Supervisor extends SupervisorBase {
  /**
   * Appends and starts a child.
   * @throws SupervisorError `SUPERVISOR_INVALID_SPEC`, `SUPERVISOR_DUPLICATE_CHILD`, `SUPERVISOR_START_FAILED`, `SUPERVISOR_NOT_RUNNING`
   */
  startChild(spec: ChildSpec): Promise<void>;
}

/** A `simple_one_for_one` supervisor: many children of one template. */
export interface DynamicSupervisor<A> extends SupervisorBase {
  /**
   * Starts a child with `args`; resolves to its generated id.
   * @throws SupervisorError `SUPERVISOR_START_FAILED`, `SUPERVISOR_NOT_RUNNING`
   */
  startChild(args: A): Promise<string>;
}
