/**
 * Entry point of the `concurrengine` command: global flags, then dispatch to one subcommand.
 */
import { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type CliIo, type Command } from './command.js';
import { commands as defaultCommands } from './commands/index.js';
import { CliError } from './errors.js';
import { helpText } from './help.js';
import { processIo } from './processIo.js';
import { readVersion } from './version.js';

/** Options of {@link main}; all default to the real process. */
export interface MainOptions {
  readonly io?: Partial<CliIo>;
  /** The command table (tests swap in their own). */
  readonly commands?: readonly Command[];
}

/**
 * Runs `concurrengine` with `argv` (without node and script) and resolves to the exit status.
 * Never rejects: a program that cannot load (`CliError`) is exit 2 with one message; an
 * unexpected error is printed (with its stack only when `CONCURRENGINE_DEBUG=1`) and becomes exit 1.
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const io: CliIo = options.io?.stdout && options.io.stderr ? ({ env: process.env, cwd: process.cwd(), ...options.io } as CliIo) : { ...processIo(), ...options.io };
  const commands = options.commands ?? defaultCommands;
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      io.stdout(helpText(commands));
      return first === undefined ? EXIT_INVALID : EXIT_OK;
    }
    if (first === '-v' || first === '--version') {
      io.stdout(`${readVersion()}\n`);
      return EXIT_OK;
    }
    const command = commands.find((c) => c.name === first);
    if (command === undefined) {
      const what = first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`;
      io.stderr(`concurrengine: ${what}. Run 'concurrengine --help' for the list of commands.\n`);
      return EXIT_INVALID;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`Usage: concurrengine ${command.name} ${command.usage}\n\n${command.help}\n`);
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      // A program that cannot load is input, not a bug: one message, no stack of ours.
      const [head, ...more] = error.message.split('\n');
      io.stderr(`concurrengine ${first}: ${head} [${error.code}]\n${more.map((line) => `${line}\n`).join('')}`);
      return EXIT_INVALID;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`concurrengine: internal error: ${message}\nThis is a bug; please report it with the command you ran.\n`);
    if (io.env['CONCURRENGINE_DEBUG'] === '1' && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_INTERNAL;
  }
}
