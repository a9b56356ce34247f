/** Arguments of `concurrengine replay`, parsed and checked before anything is opened. */
import { onePositional, parseFlags } from './flags.js';

export interface ReplayArgs {
  readonly dir: string;
  readonly tick: number;
  /** Ticks to run after the restore (0: restore only). */
  readonly continueTicks: number;
  readonly threads?: number;
  /** The program module, instead of the one the stored tick names. */
  readonly program?: string;
  readonly json: boolean;
}

/** Returns the parsed arguments, or a message saying what is wrong. */
export function parseReplayArgs(args: readonly string[]): ReplayArgs | string {
  const flags = parseFlags(args, ['--tick', '--continue', '--threads', '--program'], ['--json']);
  if (typeof flags === 'string') return flags;
  const dir = onePositional(flags, '<dir>');
  if (typeof dir === 'string') return dir;
  const tick = flags.int('--tick', 0);
  const continueTicks = flags.int('--continue', 0);
  const threads = flags.int('--threads', 1);
  for (const v of [tick, continueTicks, threads]) if (typeof v === 'string') return v;
  if (tick === undefined) return 'missing --tick <n>';
  const program = flags.values.get('--program');
  return {
    dir: dir.value,
    tick: tick as number,
    continueTicks: (continueTicks as number | undefined) ?? 0,
    json: flags.switches.has('--json'),
    ...(threads !== undefined ? { threads: threads as number } : {}),
    ...(program !== undefined ? { program } : {}),
  };
}
