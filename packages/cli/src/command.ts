/**
 * A subcommand of `concurrengine`. Each lives in its own file under `commands/` and is listed
 * in `commands/index.ts`; `main` only dispatches.
 */

/** Exit status: 0 success, 1 internal error (a bug), 2 invalid input or usage. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_INVALID = 2;

/** Where a command reads and writes; the process by default, buffers in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /**
   * Aborts once stdout's reader has gone (`… | head -1`): further output is discarded, and a
   * long command (`run`, `replay`) stops as on Ctrl-C. Absent: stdout never closes (tests).
   */
  readonly stdoutClosed?: AbortSignal;
}

/** One subcommand. */
export interface Command {
  /** The word after `concurrengine`. */
  readonly name: string;
  /** Argument synopsis, e.g. `<file> [--json]`. */
  readonly usage: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** Longer help for `concurrengine <name> --help`. */
  readonly help: string;
  /**
   * Runs with the arguments after the command name and returns the exit status. Throwing means
   * an internal error (exit 1) — except a `CliError` (a program that cannot load), which `main`
   * prints as invalid input (exit 2); other invalid input is reported by the command itself with exit 2.
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
