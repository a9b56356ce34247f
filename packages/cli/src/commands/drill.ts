/**
 * `concurrengine drill <module>`: a scheduled fault-recovery drill. The program runs twice with
 * the same seed and ticks — once with faults injected (handlers that throw, workers that die
 * mid-job, at the rates given) under supervision, once clean — and the report says what the
 * supervisors did (restarts, suspensions, escalations, redone jobs, how long recovery took) and
 * whether every actor the faults did not hit ended exactly as in the clean run.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { EngineError, experimental_setEngineHost, type Engine, type EngineStats, type SupervisionOptions } from '@concurrengine/engine';

import { EXIT_INVALID, EXIT_OK, type CliIo, type Command } from '../command.js';
import { onePositional, parseFlags } from '../flags.js';
import { importProgram } from '../importProgram.js';

const USAGE = '<module> [--ticks <n>] [--threads <n>] [--seed <n>] [--handler-throw-rate <r>] [--worker-exit-rate <r>] [--json]';
/** Exit status of a drill whose faults escaped containment (or failed the engine). */
const EXIT_DRILL_FAILED = 3;

interface DrillArgs {
  readonly module: string;
  readonly ticks: number;
  readonly threads?: number;
  readonly seed: number;
  readonly handlerThrowRate: number;
  readonly workerExitRate: number;
  readonly json: boolean;
}

function parseDrillArgs(args: readonly string[]): DrillArgs | string {
  const flags = parseFlags(args, ['--ticks', '--threads', '--seed', '--handler-throw-rate', '--worker-exit-rate'], ['--json']);
  if (typeof flags === 'string') return flags;
  const module = onePositional(flags, '<module>');
  if (typeof module === 'string') return module;
  const rate = (flag: string, fallback: number): number | string => {
    const raw = flags.values.get(flag);
    if (raw === undefined) return fallback;
    const r = Number(raw);
    return r >= 0 && r <= 1 ? r : `${flag} must be a rate from 0 to 1, got '${raw}'`;
  };
  const ticks = flags.int('--ticks', 1) ?? 300;
  const threads = flags.int('--threads', 1);
  const seed = flags.int('--seed', 0) ?? 1;
  const handlerThrowRate = rate('--handler-throw-rate', 0.001);
  const workerExitRate = rate('--worker-exit-rate', 0);
  for (const v of [ticks, threads, seed, handlerThrowRate, workerExitRate]) if (typeof v === 'string') return v;
  return {
    module: module.value,
    ticks: ticks as number,
    seed: seed as number,
    handlerThrowRate: handlerThrowRate as number,
    workerExitRate: workerExitRate as number,
    json: flags.switches.has('--json'),
    ...(threads !== undefined ? { threads: threads as number } : {}),
  };
}

/** The brief's `[supervision]`: exponential backoff, 16 restarts (in ticks: 5 s at 60 Hz). */
const DRILL_SUPERVISION: SupervisionOptions = {
  policy: { restart: 'permanent', backoff: { kind: 'exponential', min: 1, max: 300, jitter: 0.2, resetAfter: 1800 }, maxRestarts: 16, within: 300 },
  isolation: 'actor',
};

interface Outcome {
  readonly stats: EngineStats;
  readonly faulted: Set<number>;
  readonly failures: number;
  readonly outside: (exclude: Set<number>) => string;
  readonly error?: Error;
}

/** Runs the program once with the drill's rates (0: a clean run); `tag` keeps the two imports apart. */
async function runOnce(args: DrillArgs, program: { url: string; path: string }, rates: { handlerThrowRate: number; workerExitRate: number }, tag: string): Promise<Outcome | string> {
  const engines: Engine[] = [];
  const faulted = new Set<number>();
  let failures = 0;
  let error: Error | undefined;
  experimental_setEngineHost({
    overrides: { seed: args.seed, ...(args.threads !== undefined ? { threads: args.threads } : {}) },
    snapshots: false,
    supervision: DRILL_SUPERVISION,
    // Redoing a dead worker's jobs needs the tick's pre-job copies: one retained tick.
    retention: { recent: 1 },
    runDefaults: { ticks: args.ticks },
    onEngine: (engine) => {
      engines.push(engine);
      engine.drill(rates);
      engine.onHandlerError((report) => {
        failures++;
        if ((report.actor as number) >= 0) faulted.add(report.actor as number);
      });
    },
    programModule: program.url,
  });
  try {
    await importProgram(`${program.url}?drill=${tag}`, program.path);
  } catch (caught) {
    if (!(caught instanceof EngineError)) throw caught;
    error = caught;
  } finally {
    experimental_setEngineHost(undefined);
  }
  const engine = engines[0];
  if (!engine) return `${program.path} built no engine with Engine.builder()…build()`;
  const stats = engine.stats();
  const hashes = new Map<string, string>();
  const outside = (exclude: Set<number>) => {
    const key = [...exclude].sort().join(',');
    if (!hashes.has(key)) hashes.set(key, engine.stateHash({ exclude: exclude as never }));
    return hashes.get(key)!;
  };
  return { stats, faulted, failures, outside, ...(error ? { error } : {}), close: () => engine.close() } as Outcome & { close(): Promise<void> };
}

export const drillCommand: Command = {
  name: 'drill',
  usage: USAGE,
  summary: 'fault-recovery drill: inject handler throws and worker exits, check that supervision contained them',
  help: [
    'Runs <module> twice with the same seed for --ticks ticks: once with faults injected under',
    'supervision (the brief\'s policy: exponential backoff, 16 restarts), once clean. Reports restarts,',
    'suspensions, escalations, jobs redone after worker exits, recovery times, and whether every actor',
    'the faults did not hit ended exactly as in the clean run (state hash of all other actors).',
    '  --ticks <n>                ticks per run (default 300)',
    '  --threads <n>              worker threads (default: the program\'s)',
    '  --seed <n>                 world seed (default 1); which actors and jobs are hit follows from it',
    '  --handler-throw-rate <r>   chance a handler throws, per actor and tick (default 0.001)',
    '  --worker-exit-rate <r>     chance a worker dies mid-job, per job (default 0)',
    '  --json                     print the report as JSON',
    'Exit status: 0 contained, 3 not contained (or the engine failed), 2 invalid input, 1 internal error.',
  ].join('\n'),
  async run(rawArgs, io: CliIo) {
    const args = parseDrillArgs(rawArgs);
    if (typeof args === 'string') {
      io.stderr(`concurrengine drill: ${args}. Usage: concurrengine drill ${USAGE}\n`);
      return EXIT_INVALID;
    }
    const path = resolve(io.cwd, args.module);
    const program = { url: pathToFileURL(path).href, path };
    const drilled = await runOnce(args, program, { handlerThrowRate: args.handlerThrowRate, workerExitRate: args.workerExitRate }, 'faults');
    if (typeof drilled === 'string') {
      io.stderr(`concurrengine drill: ${drilled}\n`);
      return EXIT_INVALID;
    }
    const clean = await runOnce(args, program, { handlerThrowRate: 0, workerExitRate: 0 }, 'clean');
    if (typeof clean === 'string') {
      io.stderr(`concurrengine drill: ${clean}\n`);
      return EXIT_INVALID;
    }
    const contained = !drilled.error && drilled.outside(drilled.faulted) === clean.outside(drilled.faulted);
    const s = drilled.stats.supervision;
    const report = {
      ticks: drilled.stats.tick,
      threads: drilled.stats.threads,
      actors: drilled.stats.actors,
      handlerFailures: drilled.failures,
      actorsFaulted: drilled.faulted.size,
      restarts: s?.restarts ?? 0,
      suspended: s?.suspended ?? 0,
      groupRestarts: s?.groupRestarts ?? 0,
      escalations: s?.escalations ?? 0,
      restartLatencyUs: s && s.restarts > 0 ? (s.restartMs * 1000) / s.restarts : 0,
      workerExits: drilled.stats.scheduler.workerExits,
      jobsRedone: s?.jobsRedone ?? 0,
      lastRedoMs: s?.lastRedoMs ?? 0,
      tickMs: { drilled: { p50: drilled.stats.tickMs.p50, p99: drilled.stats.tickMs.p99 }, clean: { p50: clean.stats.tickMs.p50, p99: clean.stats.tickMs.p99 } },
      engineFailed: drilled.error ? `${drilled.error.message}` : null,
      stateOutsideFaultedActors: contained ? 'identical' : 'different',
    };
    await Promise.all([drilled, clean].map((o) => (o as Outcome & { close(): Promise<void> }).close()));
    if (args.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else {
      io.stdout(
        [
          `drill: ${report.ticks} ticks on ${report.threads} thread(s), ${report.actors.toLocaleString('en-US')} actors, seed ${args.seed}`,
          `  injected: handler throws at ${args.handlerThrowRate}/actor-tick, worker exits at ${args.workerExitRate}/job`,
          `  handler failures ${report.handlerFailures} in ${report.actorsFaulted} actors: ${report.restarts} restarts (${report.restartLatencyUs.toFixed(2)} µs each), ${report.suspended} backoffs, ${report.groupRestarts} group restarts, ${report.escalations} escalations`,
          `  worker exits ${report.workerExits}: ${report.jobsRedone} jobs redone from pre-job copies (last redo ${report.lastRedoMs.toFixed(1)} ms)`,
          `  tick p50/p99: ${report.tickMs.drilled.p50.toFixed(2)}/${report.tickMs.drilled.p99.toFixed(2)} ms drilled, ${report.tickMs.clean.p50.toFixed(2)}/${report.tickMs.clean.p99.toFixed(2)} ms clean (the first ticks include starting the workers)`,
          ...(report.engineFailed ? [`  the engine failed: ${report.engineFailed}`] : []),
          `  state of the ${(report.actors - report.actorsFaulted).toLocaleString('en-US')} actors no fault hit: ${contained ? 'identical to the clean run' : 'DIFFERENT from the clean run'}`,
        ].join('\n') + '\n',
      );
    }
    return contained ? EXIT_OK : EXIT_DRILL_FAILED;
  },
};
