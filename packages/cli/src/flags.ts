/**
 * The flag grammar every command shares: `--flag value` or `--flag=value` for the flags that take
 * a value, bare `--flag` for switches, everything else positional; an unknown option is an error.
 */

export interface Flags {
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
  readonly positional: readonly string[];
  /** The flag as an integer ≥ `min` (underscores allowed), undefined when absent, or what is wrong. */
  int(flag: string, min: number): number | string | undefined;
}

/** Splits `args` by the command's flags; returns a message saying what is wrong instead. */
export function parseFlags(args: readonly string[], valueFlags: readonly string[], switchFlags: readonly string[] = []): Flags | string {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') ? (arg.split('=', 2) as [string, string | undefined]) : [arg, undefined];
    if (!arg.startsWith('-')) positional.push(arg);
    else if (switchFlags.includes(arg)) switches.add(arg);
    else if (valueFlags.includes(flag)) {
      const value = inline ?? args[++i];
      if (value === undefined) return `${flag} needs a value`;
      values.set(flag, value);
    } else return `unknown option '${arg}'`;
  }
  return {
    values,
    switches,
    positional,
    int(flag, min) {
      const raw = values.get(flag);
      if (raw === undefined) return undefined;
      const n = Number(raw.replaceAll('_', ''));
      return Number.isSafeInteger(n) && n >= min ? n : `${flag} must be an integer ≥ ${min}, got '${raw}'`;
    },
  };
}

/** One positional argument named `name`, or what is wrong. */
export function onePositional(flags: Flags, name: string): string | { readonly value: string } {
  if (flags.positional.length === 1) return { value: flags.positional[0]! };
  return flags.positional.length === 0 ? `missing ${name}` : `expected one ${name}, got ${flags.positional.join(' ')}`;
}
