/** `concurrengine replay <dir> --tick N`: restore a stored tick in the program that made it, print its state hash, optionally run on. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describeStoredTick, EngineError, experimental_setEngineHost, type Engine, type StoredTickInfo } from '@concurrengine/engine';
import { isSnapshotError } from '@concurrengine/snapshot';

import { EXIT_INVALID, EXIT_OK, type CliIo, type Command } from '../command.js';
import { importProgram } from '../importProgram.js';
import { parseReplayArgs, type ReplayArgs } from '../replayArgs.js';
import { openStore } from './storeArgs.js';

const USAGE = '<dir> --tick <n> [--continue <ticks>] [--threads <n>] [--program <module>] [--json]';

/** The stored tick a restore of `tick` starts from, or the reason there is none. */
async function describe(args: ReplayArgs, dir: string, io: CliIo): Promise<StoredTickInfo | string> {
  const store = await openStore(dir, io);
  if (typeof store === 'string') return store;
  try {
    return await describeStoredTick(store, args.tick, args.dir);
  } catch (error) {
    if (error instanceof EngineError || isSnapshotError(error)) return `${error.message} [${error.code}]`;
    throw error;
  } finally {
    await store.close();
  }
}

/** The program to import: `--program` (relative to the working directory), else the one the stored tick names. */
function programOf(args: ReplayArgs, info: StoredTickInfo, io: CliIo): { url: string; path: string } | string {
  if (args.program !== undefined) {
    const path = resolve(io.cwd, args.program);
    return existsSync(path) ? { url: pathToFileURL(path).href, path } : `program ${args.program} not found`;
  }
  if (info.program === undefined) return `stored tick ${info.stored} names no program (it was not stored by \`concurrengine run\`); pass --program <module>`;
  if (!info.program.startsWith('file:')) return { url: info.program, path: info.program };
  const path = fileURLToPath(info.program);
  return existsSync(path) ? { url: info.program, path } : `the program stored tick ${info.stored} names, ${path}, is missing; pass --program <module>`;
}

export const replayCommand: Command = {
  name: 'replay',
  usage: USAGE,
  summary: 'restore a stored tick of a snapshot store, print its state hash, optionally run on',
  help: [
    'Imports the program that stored the ticks in <dir> (the run directory `concurrengine run --config`',
    'printed), with its engine told to start from tick <n>: the nearest stored tick at or before <n> is',
    'loaded and the ticks up to <n> re-execute with the recorded inputs. Prints `tick <n> state <hash>`,',
    'equal to the hash the original run had at that tick, for any thread count.',
    '  --tick <n>           the tick to restore',
    '  --continue <ticks>   then run this many ticks (recorded inputs while the store has them, then',
    '                       live input) and print the final hash. Of the later stored ticks only the',
    '                       inputs they carry are read, as the ticks reach them: a damaged one stops',
    '                       the replay where its inputs are needed (the tick reached and its hash',
    '                       are printed, then the error naming the stored tick and file; exit 2)',
    '  --threads <n>        worker threads (default: the program\'s)',
    '  --program <module>   the program to import instead of the one the stored tick names',
    '  --json               print { dir, tick, stored, program, threads, spatial, state, final } as JSON',
    'The seed, tick rate, supervision and spatial index (strategy, world box, split/merge sizes, sort',
    'interval) come from the stored tick, so an edited program or config cannot change them.',
    'Exit status: 0 done, 2 invalid input (not a store, tick before the oldest stored, program missing,',
    'kinds that do not match, a stored tick the replay needs is damaged), 1 internal error.',
  ].join('\n'),
  async run(rawArgs, io) {
    const args = parseReplayArgs(rawArgs);
    const fail = (message: string) => {
      io.stderr(`concurrengine replay: ${message}\n`);
      return EXIT_INVALID;
    };
    if (typeof args === 'string') return fail(`${args}. Usage: concurrengine replay ${USAGE}`);
    const dir = resolve(io.cwd, args.dir);
    const info = await describe(args, dir, io);
    if (typeof info === 'string') return fail(info);
    const program = programOf(args, info, io);
    if (typeof program === 'string') return fail(program);

    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    // Nobody reads stdout any more (`… | head -1`): stop as on Ctrl-C, quietly (issue 15).
    io.stdoutClosed?.addEventListener('abort', onSignal);
    if (io.stdoutClosed?.aborted) onSignal();
    const engines: Engine[] = [];
    let restored: { engine: Engine; state: string } | undefined;
    let final: { tick: number; state: string; threads: number } | undefined;
    experimental_setEngineHost({
      overrides: {
        seed: info.seed,
        ...(info.tickRateHz !== undefined ? { tickRateHz: info.tickRateHz } : {}),
        ...(args.threads !== undefined ? { threads: args.threads } : {}),
      },
      snapshots: false, // a replay writes nothing, whatever the program's config says
      // Supervised as the recorded run was (its restarts are part of the recorded states).
      ...(info.supervision ? { supervision: info.supervision, retention: { recent: 1 } } : {}),
      // The index the run used (its sorts move actors), whatever the program or a config says now.
      ...(info.spatial ? { spatial: { ...info.spatial, exact: true } } : {}),
      restore: { dir, tick: args.tick },
      runDefaults: { signal: abort.signal, ticks: args.continueTicks },
      onRestored: (engine) => {
        restored ??= { engine, state: engine.stateHash() };
        const from = info.stored === args.tick ? `stored tick ${info.stored}` : `stored tick ${info.stored} + ${args.tick - info.stored} re-executed`;
        if (!args.json) io.stdout(`tick ${args.tick} state ${restored.state}  (${from}, ${threadsOf(engine)})\n`);
      },
      onEngine: (engine) => engines.push(engine),
      programModule: program.url,
    });
    try {
      await importProgram(program.url, program.path);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'ENGINE_REPLAY_INPUTS_UNREADABLE' && restored) {
        // A damaged later stored tick: the ticks replayed up to it are still worth their hash.
        const s = restored.engine.stats();
        const reached = { tick: s.tick, ticks: s.tick - args.tick, state: restored.engine.stateHash() };
        if (args.json) io.stdout(`${JSON.stringify({ dir: args.dir, tick: args.tick, stored: info.stored, program: program.url, threads: s.threads, state: restored.state, final: reached, stopped: { code: error.code, message: error.message } }, null, 2)}\n`);
        else io.stdout(`tick ${reached.tick} state ${reached.state} (${reached.ticks} ticks on from ${args.tick}; the replay stops there)\n`);
      }
      if (error instanceof EngineError) return fail(`${error.message} [${error.code}]`);
      if (isSnapshotError(error)) return fail(`${error.message} [${error.code}]`);
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      io.stdoutClosed?.removeEventListener('abort', onSignal);
      experimental_setEngineHost(undefined);
      if (restored) {
        const s = restored.engine.stats();
        final = { tick: s.tick, state: restored.engine.stateHash(), threads: s.threads };
      }
      // The program may have closed them already; close() is idempotent.
      for (const engine of engines) await engine.close();
    }
    if (!restored || !final) {
      return fail(
        engines.length === 0
          ? `${program.path} built no engine with Engine.builder()…build(), so nothing was restored`
          : `${program.path}'s engine never started (call run() or step()), so nothing was restored`,
      );
    }
    const ran = final.tick - args.tick;
    if (args.json) {
      io.stdout(
        `${JSON.stringify({ dir: args.dir, tick: args.tick, stored: info.stored, program: program.url, threads: final.threads, ...(info.spatial ? { spatial: info.spatial } : {}), state: restored.state, ...(args.continueTicks > 0 ? { final: { tick: final.tick, ticks: ran, state: final.state } } : {}) }, null, 2)}\n`,
      );
    } else if (args.continueTicks > 0) {
      io.stdout(`tick ${final.tick} state ${final.state} (${ran} ticks on from ${args.tick})\n`);
    }
    return EXIT_OK;
  },
};

function threadsOf(engine: Engine): string {
  const n = engine.stats().threads;
  return `${n} thread${n === 1 ? '' : 's'}`;
}
