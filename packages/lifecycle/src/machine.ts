/**
 * The automaton's interfaces: a definition (a validated, immutable transition table) and a
 * machine (one running instance of it). Implementations live in `defineMachine.ts` and
 * `createMachine.ts`; consumers accept these interfaces.
 */
import type { List, Map as ImmutableMap } from 'immutable';

/**
 * What `defineMachine` takes: the states are the keys of `transitions`, the events every key of
 * their rows and of `anyState`. Both are inferred as string-literal unions.
 */
export interface MachineSpec<S extends string, E extends string> {
  /** The state a new machine starts in; must be a key of `transitions`. */
  readonly initial: NoInfer<S>;
  /** `state → event → target`. A state with no row entries is final. */
  readonly transitions: { readonly [K in S]: { readonly [V in E]?: NoInfer<S> } };
  /**
   * Transitions that apply in every state except those in `anyStateExcept` (e.g. `fail → failed`).
   * A state's own row wins where both name the same event.
   */
  readonly anyState?: { readonly [V in E]?: NoInfer<S> };
  /** States `anyState` does not apply to. */
  readonly anyStateExcept?: readonly NoInfer<S>[];
}

/**
 * A validated transition table, frozen. `anyState` is already folded into `table`, so
 * `table.get(state).get(event)` is the whole rule.
 */
export interface MachineDefinition<S extends string, E extends string> {
  readonly initial: S;
  /** Every state, in declaration order. */
  readonly states: readonly S[];
  /** Every event, in order of first appearance (rows first, then `anyState`). */
  readonly events: readonly E[];
  /** `state → (event → target)`; every state has a row (possibly empty). */
  readonly table: ImmutableMap<S, ImmutableMap<E, S>>;
}

/** One transition a machine took, frozen. `seq` counts from 1 over the machine's whole life. */
export interface Transition<S extends string, E extends string> {
  readonly seq: number;
  readonly from: S;
  readonly event: E;
  readonly to: S;
}

/** Called once per transition, after the machine is already in `transition.to`. */
export type TransitionListener<S extends string, E extends string> = (transition: Transition<S, E>) => void;

/** Options of `createMachine`. */
export interface MachineOptions<S extends string, E extends string> {
  /**
   * How many transitions `history` keeps (the newest). Default {@link DEFAULT_HISTORY_LIMIT};
   * 0 keeps none. Bounded so a long-running engine does not grow memory one transition at a time.
   */
  readonly historyLimit?: number;
  /**
   * Receives an error thrown by a listener. Default: re-thrown in a new macrotask, so it is never
   * swallowed and never unwinds `send`.
   */
  readonly onListenerError?: (error: unknown, transition: Transition<S, E>) => void;
}

/** Default of {@link MachineOptions.historyLimit}. */
export const DEFAULT_HISTORY_LIMIT = 1024;

/**
 * One running instance of a definition. Single-threaded: call it from the thread that created it.
 */
export interface Machine<S extends string, E extends string> {
  /** The current state. */
  readonly state: S;
  /** The definition this machine runs. */
  readonly definition: MachineDefinition<S, E>;
  /**
   * Takes the transition for `event` from the current state and returns the new state.
   * @throws TransitionNotAllowedError (code `TRANSITION_NOT_ALLOWED`, with `state`, `event`,
   * `allowed`) when the current state has no transition for `event`; the state does not change.
   */
  send(event: E): S;
  /** Whether `send(event)` would succeed now. */
  can(event: E): boolean;
  /** The events the current state accepts, in definition order (a frozen array; do not keep it across sends if you compare by identity). */
  allowed(): readonly E[];
  /**
   * Calls `listener` with every transition taken after this call, in `seq` order, until the
   * returned function is called. A listener that throws does not stop the others, nor the machine.
   */
  subscribe(listener: TransitionListener<S, E>): () => void;
  /** The newest `historyLimit` transitions, oldest first: a persistent list, safe to keep. */
  readonly history: List<Transition<S, E>>;
}
