/**
 * The one error type of this package. A `ConfigError` carries every problem found in one load
 * (`issues`), so a user fixes a file in one pass instead of one error per run.
 */

/** What went wrong, as a stable string a program can switch on. */
export type ConfigErrorCode =
  | 'CONFIG_SYNTAX'
  | 'CONFIG_UNKNOWN_SECTION'
  | 'CONFIG_UNKNOWN_KEY'
  | 'CONFIG_TYPE'
  | 'CONFIG_RANGE'
  | 'CONFIG_ENUM'
  | 'CONFIG_UNIT'
  | 'CONFIG_ENV'
  | 'CONFIG_FILE_NOT_FOUND'
  | 'CONFIG_FILE_READ';

/** One problem in a configuration: what, where, the bad value and what was expected. */
export interface ConfigIssue {
  readonly code: ConfigErrorCode;
  /** One sentence, readable alone (no location prefix; see {@link formatIssue}). */
  readonly message: string;
  /** Dotted TOML path such as `engine.threads`, when the problem belongs to a key. */
  readonly keyPath?: string;
  /** The offending value as read (a string for environment variables). */
  readonly value?: unknown;
  /** What would have been accepted, e.g. `an integer from 1 to 4096, or "auto"`. */
  readonly expected?: string;
  /** A close valid name for a misspelt section, key or enum value. */
  readonly suggestion?: string;
  readonly file?: string;
  /** 1-based line in the TOML source, where one exists. */
  readonly line?: number;
  /** 1-based column in the TOML source, where one exists. */
  readonly column?: number;
  /** The environment variable the value came from. */
  readonly envVar?: string;
}

/** `file:line:column`, `env NAME` or `file`, whichever the issue has. */
export function formatLocation(issue: ConfigIssue): string | undefined {
  if (issue.envVar !== undefined) return `env ${issue.envVar}`;
  if (issue.line !== undefined) return `${issue.file ?? '<text>'}:${issue.line}:${issue.column ?? 1}`;
  return issue.file;
}

/** One line per issue: `file:3:11 engine.threads: <message> (did you mean "x"?)`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = formatLocation(issue);
  const head = [where, issue.keyPath].filter((s) => s !== undefined).join(' ');
  const hint = issue.suggestion === undefined ? '' : `; did you mean "${issue.suggestion}"?`;
  return `${head === '' ? '' : `${head}: `}${issue.message}${hint} [${issue.code}]`;
}

/**
 * Thrown by `loadConfig` when the input is not a valid configuration. Its top-level fields
 * mirror the first issue; `issues` holds all of them in source order.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly issues: readonly ConfigIssue[];
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly keyPath: string | undefined;
  readonly value: unknown;
  readonly expected: string | undefined;

  constructor(issues: readonly [ConfigIssue, ...ConfigIssue[]], options?: ErrorOptions) {
    const count = issues.length === 1 ? 'a problem' : `${issues.length} problems`;
    super(`configuration has ${count}:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`, options);
    const first = issues[0];
    this.code = first.code;
    this.issues = Object.freeze([...issues]);
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.keyPath = first.keyPath;
    this.value = first.value;
    this.expected = first.expected;
  }
}

/** True for a {@link ConfigError}, also across copies of this package. */
export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError || (error instanceof Error && error.name === 'ConfigError' && 'issues' in error);
}
