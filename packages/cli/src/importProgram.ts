/** Imports a user's program the way `run`, `replay` and `drill` do: TypeScript through tsx, JavaScript as is. */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { EngineError } from '@concurrengine/engine';
import { isSnapshotError } from '@concurrengine/snapshot';

import { CliError } from './errors.js';
import { syntaxLocation, thrownByUs, userFrames } from './programErrors.js';

/**
 * Imports the module at `url` (`path` is what the user named, to tell TypeScript from JavaScript
 * and to name it in errors). The engine's workers see the flag set here and register tsx
 * themselves before importing it.
 *
 * Engine and snapshot errors pass through (the commands report them with their codes), and so
 * does anything else thrown first by our own code (a bug: exit 1). Otherwise:
 *
 * @throws CliError `CLI_PROGRAM_NOT_FOUND` (no such file), `CLI_PROGRAM_SYNTAX` (with
 * `file:line:column`), `CLI_PROGRAM_FAILED` (thrown while loading, with the program's own frames)
 */
export async function importProgram(url: string, path: string): Promise<void> {
  const file = fileURLToPath(url.replace(/[?#].*$/, ''));
  const shown = file === path ? path : `${path} (${file})`;
  let kind: 'file' | 'directory' | 'other' | undefined;
  try {
    const stat = statSync(file);
    kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
  }
  if (kind !== 'file') throw new CliError('CLI_PROGRAM_NOT_FOUND', `program not found: ${shown}${kind === 'directory' ? ' is a directory' : kind ? ' is not a file' : ''}`);
  if (/\.[mc]?ts$/.test(path)) {
    const tsx = (await import('tsx/esm/api')) as { register: () => unknown };
    tsx.register();
    (globalThis as Record<symbol, unknown>)[Symbol.for('concurrengine.scheduler.tsxRegistered')] = true;
  }
  try {
    await import(url);
  } catch (error) {
    throw programError(error, path, file);
  }
}

/** What to rethrow for `error`, thrown while importing the program at `file`. */
function programError(error: unknown, path: string, file: string): unknown {
  if (error instanceof EngineError || isSnapshotError(error)) return error;
  const syntax = syntaxLocation(error, file);
  if (syntax) return new CliError('CLI_PROGRAM_SYNTAX', `${path} does not parse:\n${syntax.map((l) => `  ${l}`).join('\n')}`, { cause: error });
  if (!(error instanceof Error)) return new CliError('CLI_PROGRAM_FAILED', `${path} threw ${describe(error)} while loading`, { cause: error });
  const code = (error as { code?: unknown }).code;
  // A typed error of one of our packages (ActorError, ConfigError, …) is input, wherever thrown.
  const typed = typeof code === 'string' && /^[A-Z]+_[A-Z0-9_]+$/.test(code) && !code.startsWith('ERR_');
  if (!typed && thrownByUs(error)) return error;
  const frames = userFrames(error);
  const hint =
    code === 'ERR_REQUIRE_CYCLE_MODULE'
      ? '\n  (under tsx, Node reports this for an error thrown while a TypeScript program loads as CommonJS; "type": "module" in a package.json beside it shows the error itself)'
      : '';
  return new CliError(
    'CLI_PROGRAM_FAILED',
    `${path} threw while loading: ${error.name}: ${clip(error.message)}${typeof code === 'string' ? ` [${code}]` : ''}${hint}${frames.length > 0 ? `\n${frames.join('\n')}` : ''}`,
    { cause: error },
  );
}

/** A thrown message, cut: a program may throw anything (a 10 MB string makes a 10 MB line). */
function clip(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(clip(value, 80)) : typeof value === 'object' && value !== null ? 'an object' : String(value);
}
