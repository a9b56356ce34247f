/**
 * Reads a TOML source into smol-toml's table, turning a missing file, an unreadable file and a
 * syntax error into `ConfigIssue`s.
 */
import { readFileSync } from 'node:fs';
import { TomlError, parse, type TomlTable } from 'smol-toml';
import type { ConfigIssue } from './errors.js';

/** Reads a file as UTF-8 (swappable for tests and embedders). */
export type ReadTextFile = (path: string) => string;

export const readTextFile: ReadTextFile = (path) => readFileSync(path, 'utf8');

/** The source text, or the issue that prevented reading it. */
export function readSource(file: string, read: ReadTextFile): { text: string } | { issue: ConfigIssue } {
  try {
    return { text: read(file) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') {
      return { issue: { code: 'CONFIG_FILE_NOT_FOUND', message: `configuration file not found: ${file}`, file, expected: 'a readable TOML file' } };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return { issue: { code: 'CONFIG_FILE_READ', message: `cannot read configuration file ${file}: ${reason}`, file, expected: 'a readable TOML file' } };
  }
}

/** Parses TOML; a syntax error becomes a `CONFIG_SYNTAX` issue at smol-toml's line and column. */
export function parseToml(text: string, file: string | undefined): { table: TomlTable } | { issue: ConfigIssue } {
  try {
    return { table: parse(text) };
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
    return {
      issue: {
        code: 'CONFIG_SYNTAX',
        message: `malformed TOML: ${reason}`,
        expected: 'valid TOML (https://toml.io/en/v1.0.0)',
        ...(file === undefined ? {} : { file }),
        line: error.line,
        column: error.column,
      },
    };
  }
}
