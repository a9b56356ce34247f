/**
 * Errors of the lifecycle package. Every failure is a {@link LifecycleError} with a `code`; the two
 * that carry data the caller acts on (a refused transition, a tick no longer retained) are
 * subclasses with that data as fields, so `instanceof LifecycleError` catches them all.
 */

/** Every code a {@link LifecycleError} can carry (the README lists them with their meaning). */
export type LifecycleErrorCode =
  | 'MACHINE_INVALID'
  | 'TRANSITION_NOT_ALLOWED'
  | 'OPTION_INVALID'
  | 'RETENTION_INVALID'
  | 'TICK_INVALID'
  | 'TICK_ORDER'
  | 'TICK_NOT_RETAINED'
  | 'RELEASE_FAILED';

/** The error class of this package. */
export class LifecycleError extends Error {
  override readonly name: string = 'LifecycleError';
  constructor(
    readonly code: LifecycleErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** `send(event)` in a state that has no transition for `event` (code `TRANSITION_NOT_ALLOWED`). */
export class TransitionNotAllowedError<S extends string = string, E extends string = string> extends LifecycleError {
  override readonly name: string = 'TransitionNotAllowedError';
  constructor(
    /** The state the machine is in (and stays in). */
    readonly state: S,
    /** The refused event. */
    readonly event: E,
    /** The events `state` does accept, in definition order. */
    readonly allowed: readonly E[],
  ) {
    const accepts = allowed.length === 0 ? 'it accepts no events' : `allowed: ${allowed.join(', ')}`;
    super('TRANSITION_NOT_ALLOWED', `event '${event}' is not allowed in state '${state}' (${accepts})`);
  }
}

/** `get(tick)` on a tick the timeline does not hold (code `TICK_NOT_RETAINED`). */
export class TickNotRetainedError extends LifecycleError {
  override readonly name: string = 'TickNotRetainedError';
  constructor(
    message: string,
    /** The tick asked for. */
    readonly tick: number,
    /** The oldest retained tick, or undefined when the timeline is empty. */
    readonly oldest: number | undefined,
    /** The newest retained tick, or undefined when the timeline is empty. */
    readonly latest: number | undefined,
    /** The nearest retained tick before `tick`, if any. */
    readonly before: number | undefined,
    /** The nearest retained tick after `tick`, if any. */
    readonly after: number | undefined,
  ) {
    super('TICK_NOT_RETAINED', message);
  }
}

/** True when `error` is a {@link LifecycleError}, optionally with the given code. */
export function isLifecycleError(error: unknown, code?: LifecycleErrorCode): error is LifecycleError {
  return error instanceof LifecycleError && (code === undefined || error.code === code);
}

/**
 * Re-throws an error raised by user code (a transition listener) in a new macrotask, so it is
 * never swallowed and never unwinds the `send` that happened to deliver the transition (XState's
 * `reportUnhandledError`).
 */
export function reportUnhandledError(error: unknown): void {
  setTimeout(() => {
    throw error;
  });
}
