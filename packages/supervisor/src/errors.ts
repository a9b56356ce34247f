/**
 * Errors of the supervisor package. Bad child specs, policies and config values are
 * `SupervisorError`s thrown at construction; a supervisor that gave up (restart intensity
 * reached) exits with a `SupervisorError('SUPERVISOR_INTENSITY')` as its exit reason.
 */

/** Every code a {@link SupervisorError} can carry (the README lists them with their meaning). */
export type SupervisorErrorCode =
  | 'SUPERVISOR_INVALID_SPEC'
  | 'SUPERVISOR_INVALID_POLICY'
  | 'SUPERVISOR_INVALID_CONFIG'
  | 'SUPERVISOR_INVALID_ARGUMENT'
  | 'SUPERVISOR_DUPLICATE_CHILD'
  | 'SUPERVISOR_UNKNOWN_CHILD'
  | 'SUPERVISOR_START_FAILED'
  | 'SUPERVISOR_NOT_RUNNING'
  | 'SUPERVISOR_INTENSITY';

/** The one error class of this package; `key` names the config key of a `SUPERVISOR_INVALID_CONFIG`. */
export class SupervisorError extends Error {
  override readonly name = 'SupervisorError';
  constructor(
    readonly code: SupervisorErrorCode,
    message: string,
    options?: ErrorOptions & { readonly key?: string },
  ) {
    super(message, options);
    this.key = options?.key;
  }
  /** Dotted config key (`supervision.max_restarts`) for `SUPERVISOR_INVALID_CONFIG`. */
  readonly key: string | undefined;
}

/** True when `error` is a {@link SupervisorError}, optionally with the given code. */
export function isSupervisorError(error: unknown, code?: SupervisorErrorCode): error is SupervisorError {
  return error instanceof SupervisorError && (code === undefined || error.code === code);
}

/**
 * Re-throws an error nobody handles in a new macrotask, so it is never swallowed and never
 * unwinds the caller that happened to trigger it (XState's `reportUnhandledError`).
 */
export function reportUnhandledError(error: unknown): void {
  setTimeout(() => {
    throw error;
  });
}

/** `JSON.stringify` that never throws, for putting bad values into messages. */
export function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // cyclic or otherwise unserialisable: String() is the best we have
  }
}
