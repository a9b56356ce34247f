/** Arguments of `concurrengine run`, parsed and checked before anything starts. */
import { parseDuration } from '@concurrengine/config';

export interface RunArgs {
  readonly module: string;
  readonly config?: string;
  readonly threads?: number;
  readonly ticks?: number;
  readonly durationMs?: number;
  readonly seed?: number;
  readonly status: 'auto' | 'tty' | 'plain' | 'none';
}

const VALUE_FLAGS = ['--config', '--threads', '--ticks', '--duration', '--seed', '--status'] as const;

/** Returns the parsed arguments, or a message saying what is wrong. */
export function parseRunArgs(args: readonly string[]): RunArgs | string {
  const values = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') ? (arg.split('=', 2) as [string, string | undefined]) : [arg, undefined];
    if (!arg.startsWith('-')) positional.push(arg);
    else if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      const value = inline ?? args[++i];
      if (value === undefined) return `${flag} needs a value`;
      values.set(flag, value);
    } else return `unknown option '${arg}'`;
  }
  if (positional.length !== 1) return positional.length === 0 ? 'missing <module>' : `expected one <module>, got ${positional.join(' ')}`;
  const int = (flag: string, min: number): number | string | undefined => {
    const raw = values.get(flag);
    if (raw === undefined) return undefined;
    const n = Number(raw.replaceAll('_', ''));
    return Number.isInteger(n) && n >= min ? n : `${flag} must be an integer ≥ ${min}, got '${raw}'`;
  };
  const threads = int('--threads', 1);
  const ticks = int('--ticks', 0);
  const seed = int('--seed', 0);
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
    module: positional[0]!,
    status: status as RunArgs['status'],
    ...(values.has('--config') ? { config: values.get('--config')! } : {}),
    ...(threads !== undefined ? { threads: threads as number } : {}),
    ...(ticks !== undefined ? { ticks: ticks as number } : {}),
    ...(seed !== undefined ? { seed: seed as number } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
  };
}
