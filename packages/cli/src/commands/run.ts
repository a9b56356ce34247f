/** `concurrengine run <module>`: run a simulation program with live status. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { formatIssue, isConfigError, loadConfig } from '@concurrengine/config';
import {
  configOverrideFromConfig,
  createSnapshotRunDir,
  DEFAULT_SNAPSHOT_KEEP,
  EngineError,
  experimental_setEngineHost,
  KEEP_SNAPSHOT_RUNS,
  snapshotsFromConfig,
  type ConfigOverride,
  type Engine,
  type EngineHost,
  type EngineStats,
  type SnapshotCounters,
} from '@concurrengine/engine';

import { EXIT_INVALID, EXIT_OK, type CliIo, type Command } from '../command.js';
import { importProgram } from '../importProgram.js';
import { parseRunArgs, type RunArgs } from '../runArgs.js';
import { StatusPrinter } from '../statusLine.js';

const USAGE = '<module> [--config <file>] [--threads <n>] [--ticks <n>] [--duration <time>] [--seed <n>] [--status auto|tty|plain|none]';

interface Overrides {
  /** The flags: over the program and every config file. */
  flags: { threads?: number; seed?: number };
  /** The keys the config file or the environment set (the program's own choices stay for the rest). */
  config?: ConfigOverride;
  /** `[engine] snapshot_*` (`snapshot_dir` absolute); false when the config turns them off. */
  snapshots?: { base: string; every: number; maxQueued: number; keep: number } | false;
}

function overridesFrom(args: RunArgs, io: CliIo): Overrides {
  const flags = {
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
  };
  if (!args.config) return { flags };
  const loaded = loadConfig({ file: args.config, env: io.env, readFile: (path) => readFileSync(resolve(io.cwd, path), 'utf8') });
  for (const warning of loaded.warnings) io.stderr(`warning: ${warning.message} [${warning.code}]\n`);
  const config = configOverrideFromConfig(loaded);
  const snapshots = snapshotsFromConfig(loaded);
  return {
    flags,
    config: {
      ...config,
      telemetry: { ...config.telemetry, onError: (error) => io.stderr(`telemetry: ${error.message}${'code' in error ? ` [${String(error.code)}]` : ''}; running without it\n`) },
    },
    snapshots: snapshots && { ...snapshots, base: resolve(io.cwd, snapshots.base) },
  };
}

/** The index the engine ran: `adaptive-octree (37 partitions)`, `uniform-grid` or `single` (none). */
function describeSpatial(stats: EngineStats['spatial']): string {
  if (!stats) return 'single';
  return stats.strategy === 'adaptive-octree' ? `adaptive-octree (${stats.partitions} partitions)` : stats.strategy;
}

/** Closes `engine` and returns its snapshot counters as they stand after the final tick's write. */
async function closeForCounters(engine: Engine, snapshotting: boolean): Promise<SnapshotCounters | undefined> {
  await engine.close();
  return snapshotting ? engine.stats().snapshots : undefined;
}

export const runCommand: Command = {
  name: 'run',
  usage: USAGE,
  summary: 'run a simulation program (e.g. examples/gameEntity.ts) with a live status line',
  help: [
    'Imports <module>, whose Engine.builder()…run() starts the engine; workers import it too.',
    '  --config <file>   threads, tick rate, seed, supervision, retention, the spatial index, telemetry and snapshots from a TOML file',
    '                    (+ CONCURRENGINE_* env): only the keys it sets apply, over the program\'s own .seed(), .supervise(), …;',
    `                    snapshot_interval > 0 (default 600) stores ticks in <snapshot_dir>/run-<UTC time>-<pid> (the ${KEEP_SNAPSHOT_RUNS} newest runs are kept),`,
    `                    the newest snapshot_keep (default ${DEFAULT_SNAPSHOT_KEEP}, 0 = all) stored ticks of it; the exporter starts unless exporter = "none"`,
    '  --threads <n>     worker threads (overrides the program and the config)',
    '  --ticks <n>       stop after n ticks',
    '  --duration <t>    stop after a wall-clock time such as 10s or 2m',
    '  --seed <n>        world seed',
    '  --status <mode>   auto (default: tty when stdout is a terminal), tty, plain or none',
    'Ctrl-C stops after the current tick. Exit status: 0 done, 2 invalid input, 1 internal error.',
  ].join('\n'),
  async run(rawArgs, io) {
    const args = parseRunArgs(rawArgs);
    if (typeof args === 'string') {
      io.stderr(`concurrengine run: ${args}. Usage: concurrengine run ${USAGE}\n`);
      return EXIT_INVALID;
    }
    let overrides;
    try {
      overrides = overridesFrom(args, io);
    } catch (error) {
      if (!isConfigError(error)) throw error;
      io.stderr(`${args.config}: invalid configuration\n${error.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}\n`);
      return EXIT_INVALID;
    }
    const { flags, config, snapshots } = overrides;
    let hostSnapshots: EngineHost['snapshots'];
    if (snapshots) {
      try {
        hostSnapshots = { dir: createSnapshotRunDir(snapshots.base), every: snapshots.every, maxQueued: snapshots.maxQueued, keep: snapshots.keep };
      } catch (error) {
        io.stderr(`concurrengine run: cannot create a snapshot directory under ${snapshots.base}: ${(error as Error).message}\n`);
        return EXIT_INVALID;
      }
      io.stdout(`snapshots: ${hostSnapshots.dir}\n`);
    } else if (snapshots === false) hostSnapshots = false;
    const tty = args.status === 'tty' || (args.status === 'auto' && process.stdout.isTTY === true);
    const printer = args.status === 'none' ? undefined : new StatusPrinter(io.stdout, tty);
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    // Nobody reads stdout any more (`… | head -1`): stop as on Ctrl-C, quietly (issue 15).
    io.stdoutClosed?.addEventListener('abort', onSignal);
    if (io.stdoutClosed?.aborted) onSignal();
    const engines: Engine[] = [];
    const programModule = pathToFileURL(resolve(io.cwd, args.module)).href;
    let announced = false;
    experimental_setEngineHost({
      overrides: flags,
      ...(config ? { config } : {}),
      ...(hostSnapshots !== undefined ? { snapshots: hostSnapshots } : {}),
      runDefaults: {
        signal: abort.signal,
        ...(args.ticks !== undefined ? { ticks: args.ticks } : {}),
        ...(args.durationMs !== undefined ? { durationMs: args.durationMs } : {}),
        onTick: (_tick, engine) => {
          const url = engine.telemetryUrl();
          if (url && !announced) {
            announced = true;
            io.stdout(`${printer?.tty ? '\r\x1b[2K' : ''}metrics: ${url}metrics   dashboard: ${url}\n`);
          }
          printer?.maybePrint(() => engine.stats());
        },
      },
      onEngine: (engine) => engines.push(engine),
      programModule,
    });
    const started = performance.now();
    try {
      await importProgram(programModule, args.module);
    } catch (error) {
      if (error instanceof EngineError) {
        io.stderr(`concurrengine run: ${error.message} [${error.code}]\n`);
        return EXIT_INVALID;
      }
      throw error;
    } finally {
      printer?.finish();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      io.stdoutClosed?.removeEventListener('abort', onSignal);
      experimental_setEngineHost(undefined);
      for (const engine of engines) {
        const s = engine.stats();
        const seconds = (performance.now() - started) / 1000;
        const summary =
          `done: ${s.tick} ticks in ${seconds.toFixed(1)} s, tick p50 ${s.tickMsSinceStart.p50.toFixed(2)} ms p99 ${s.tickMsSinceStart.p99.toFixed(2)} ms max ${s.tickMsSinceStart.max.toFixed(2)} ms, ` +
          `${s.run.hz.toFixed(1)} of ${s.tickRateHz} Hz, ${s.overruns} overruns, ` +
          `${s.actors.toLocaleString('en-US')} actors, ${s.eventsEmitted.toLocaleString('en-US')} events, fast-path ${(s.scheduler.fastPathRatio * 100).toFixed(1)}%, start ${(s.startMs / 1000).toFixed(2)} s, ${s.tickMsSinceStart.long} ticks over 2 periods` +
          `${s.handlerFailures > 0 ? `, handler errors ${s.handlerFailures.toLocaleString('en-US')}` : ''}${s.supervision && s.supervision.restarts > 0 ? `, restarts ${s.supervision.restarts.toLocaleString('en-US')}` : ''}` +
          `, spatial ${describeSpatial(s.spatial)}, state ${engine.stateHash()}`;
        // close() stores the final tick: the snapshot counters are read after it.
        const counters = await closeForCounters(engine, s.snapshots !== undefined);
        io.stdout(`${summary}${counters ? `, snapshots ${counters.written} written, ${counters.skipped} skipped, ${counters.failed} failed` : ''}\n`);
        if (counters?.lastError) io.stderr(`snapshots: ${counters.failed} write(s) failed; the last: ${counters.lastError.message}\n`);
      }
    }
    return EXIT_OK;
  },
};
