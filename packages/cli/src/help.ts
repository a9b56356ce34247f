/** The top-level help text, built from the command list. */
import type { Command } from './command.js';

/** `concurrengine --help`. */
export function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => `${c.name} ${c.usage}`.length));
  const rows = commands.map((c) => `  ${`${c.name} ${c.usage}`.padEnd(width)}  ${c.summary}`);
  return [
    'concurrengine — a concurrent event simulation engine',
    '',
    'Usage: concurrengine <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'Options:',
    '  -h, --help     show this help (or `concurrengine <command> --help`)',
    '  -v, --version  print the version',
    '',
    'Exit status: 0 ok, 1 internal error, 2 invalid input or usage.',
    'Environment: CONCURRENGINE_<SECTION>__<KEY>=value overrides the configuration file,',
    '             e.g. CONCURRENGINE_ENGINE__THREADS=8.',
    '',
  ].join('\n');
}
