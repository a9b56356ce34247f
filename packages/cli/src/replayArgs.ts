/** Arguments of `concurrengine replay`, parsed and checked before anything is opened. */

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

const VALUE_FLAGS = ['--tick', '--continue', '--threads', '--program'] as const;

/** Returns the parsed arguments, or a message saying what is wrong. */
export function parseReplayArgs(args: readonly string[]): ReplayArgs | string {
  const values = new Map<string, string>();
  const positional: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') ? (arg.split('=', 2) as [string, string | undefined]) : [arg, undefined];
    if (!arg.startsWith('-')) positional.push(arg);
    else if (arg === '--json') json = true;
    else if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      const value = inline ?? args[++i];
      if (value === undefined) return `${flag} needs a value`;
      values.set(flag, value);
    } else return `unknown option '${arg}'`;
  }
  if (positional.length !== 1) return positional.length === 0 ? 'missing <dir>' : `expected one <dir>, got ${positional.join(' ')}`;
  const int = (flag: string, min: number): number | string | undefined => {
    const raw = values.get(flag);
    if (raw === undefined) return undefined;
    const n = Number(raw.replaceAll('_', ''));
    return Number.isSafeInteger(n) && n >= min ? n : `${flag} must be an integer ≥ ${min}, got '${raw}'`;
  };
  const tick = int('--tick', 0);
  const continueTicks = int('--continue', 0);
  const threads = int('--threads', 1);
  for (const v of [tick, continueTicks, threads]) if (typeof v === 'string') return v;
  if (tick === undefined) return 'missing --tick <n>';
  const program = values.get('--program');
  return {
    dir: positional[0]!,
    tick: tick as number,
    continueTicks: (continueTicks as number | undefined) ?? 0,
    json,
    ...(threads !== undefined ? { threads: threads as number } : {}),
    ...(program !== undefined ? { program } : {}),
  };
}
