/** `concurrengine check <file>`: validate a configuration and print it resolved, with origins. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatIssue, isConfigError, loadConfig, type LoadedConfig } from '@concurrengine/config';
import { EXIT_INVALID, EXIT_OK, type CliIo, type Command } from '../command.js';
import { formatResolved, hideSecrets } from '../formatResolved.js';

function parseArgs(args: readonly string[]): { file: string; json: boolean } | string {
  const json = args.includes('--json');
  const unknown = args.find((a) => a.startsWith('-') && a !== '--json');
  if (unknown !== undefined) return `unknown option '${unknown}'`;
  const files = args.filter((a) => !a.startsWith('-'));
  if (files.length !== 1 || files[0] === undefined) return files.length === 0 ? 'missing <file>' : 'expected exactly one <file>';
  return { file: files[0], json };
}

function report(loaded: LoadedConfig, file: string, json: boolean, io: CliIo): void {
  if (json) {
    io.stdout(`${JSON.stringify({ valid: true, file, config: hideSecrets(loaded.config), origins: loaded.origins, warnings: loaded.warnings }, null, 2)}\n`);
    return;
  }
  io.stdout(`${file}: valid\n\n${formatResolved(loaded)}`);
  if (loaded.warnings.length > 0) io.stdout(`\n${loaded.warnings.map((w) => `warning: ${w.message} [${w.code}]`).join('\n')}\n`);
}

export const checkCommand: Command = {
  name: 'check',
  usage: '<file> [--json]',
  summary: 'validate a configuration file and print it resolved, with where each value came from',
  help: [
    'Validates <file> (TOML) with the CONCURRENGINE_<SECTION>__<KEY> environment overrides applied,',
    'then prints every key with its value and origin: default, file:line, or env VAR.',
    '  --json  print the result as JSON instead',
    'Exit status: 0 valid, 2 invalid (every problem is listed with file:line:column).',
  ].join('\n'),
  async run(args, io) {
    const parsed = parseArgs(args);
    if (typeof parsed === 'string') {
      io.stderr(`concurrengine check: ${parsed}. Usage: concurrengine check <file> [--json]\n`);
      return EXIT_INVALID;
    }
    try {
      const loaded = loadConfig({ file: parsed.file, env: io.env, readFile: (path) => readFileSync(resolve(io.cwd, path), 'utf8') });
      report(loaded, parsed.file, parsed.json, io);
      return EXIT_OK;
    } catch (error) {
      if (!isConfigError(error)) throw error;
      if (parsed.json) {
        io.stdout(`${JSON.stringify({ valid: false, file: parsed.file, issues: error.issues }, null, 2)}\n`);
      } else {
        const count = error.issues.length === 1 ? '1 problem' : `${error.issues.length} problems`;
        io.stderr(`${parsed.file}: invalid configuration (${count})\n${error.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}\n`);
      }
      return EXIT_INVALID;
    }
  },
};
