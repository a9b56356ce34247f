/** Arguments of `concurrengine run`, parsed and checked before anything starts. */
import { parseDuration } from '@concurrengine/config';

import { onePositional, parseFlags } from './flags.js';

export interface RunArgs {
  readonly module: string;
  readonly config?: string;
  readonly threads?: number;
  readonly ticks?: number;
  readonly durationMs?: number;
  readonly seed?: number;
  readonly status: 'auto' | 'tty' | 'plain' | 'none';
}

/** Returns the parsed arguments, or a message saying what is wrong. */
export function parseRunArgs(args: readonly string[]): RunArgs | string {
  const flags = parseFlags(args, ['--config', '--threads', '--ticks', '--duration', '--seed', '--status']);
  if (typeof flags === 'string') return flags;
  const module = onePositional(flags, '<module>');
  if (typeof module === 'string') return module;
  const values = flags.values;
  const threads = flags.int('--threads', 1);
  const ticks = flags.int('--ticks', 0);
  const seed = flags.int('--seed', 0);
  for (const v of [threads, ticks, seed]) if (typeof v === 'string') return v;
  let durationMs: number | undefined;
  const duration = values.get('--duration');
  if (duration !== undefined) {
    durationMs = parseDuration(duration);
    if (durationMs === undefined) return `--duration must be a duration such as 10s, 500ms or 2m, got '${duration}'`;
  }
  const status = values.get('--status') ?? 'auto';
  if (!['auto', 'tty', 'plain', 'none'].includes(status)) return `--status must be auto, tty, plain or none, got '${status}'`;
  return {
    module: module.value,
    status: status as RunArgs['status'],
    ...(values.has('--config') ? { config: values.get('--config')! } : {}),
    ...(threads !== undefined ? { threads: threads as number } : {}),
    ...(ticks !== undefined ? { ticks: ticks as number } : {}),
    ...(seed !== undefined ? { seed: seed as number } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
  };
}
