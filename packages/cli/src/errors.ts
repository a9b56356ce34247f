/** Every way a user's program fails to load, as a stable code (public API; messages are not). */
export type CliErrorCode =
  /** The program file named on the command line (or recorded in a stored tick) does not exist or is not a file. */
  | 'CLI_PROGRAM_NOT_FOUND'
  /** The program (or a module it imports) does not parse: TypeScript or JavaScript. */
  | 'CLI_PROGRAM_SYNTAX'
  /** The program threw while it loaded (its top level, or `run()` awaited there), with an error that is not the engine's. */
  | 'CLI_PROGRAM_FAILED';

/**
 * A user's program that cannot be loaded: invalid input (exit 2), printed as one message — file,
 * line and column for a syntax error, the program's own frames for a throw — never our stack.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: CliErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
