/** Renders a loaded configuration as TOML with a comment per key saying where its value came from. */
import { configEntries, type ConcurrengineConfig, type ConfigEntry, type LoadedConfig, type ValueOrigin } from '@concurrengine/config';

/** `default`, `file path:3`, `env CONCURRENGINE_ENGINE__THREADS`. */
export function describeOrigin(origin: ValueOrigin | undefined): string {
  if (origin === undefined || origin.kind === 'default') return 'default';
  if (origin.kind === 'env') return `env ${origin.name}`;
  return `file ${origin.file ?? '<text>'}:${origin.line}`;
}

/**
 * The line of `entry` as shown to people: a secret that is set reads `"<hidden>"`, so `check`
 * output pasted into an issue or a log does not leak it. Fed back as a config it fails closed (the
 * exporter then wants the token "<hidden>"), never open.
 */
function shown(entry: ConfigEntry): string {
  return entry.secret && entry.value !== '' ? `${entry.key} = "<hidden>"` : entry.toml;
}

/** `config` with every set secret replaced by `"<hidden>"`, for `check --json`. */
export function hideSecrets(config: ConcurrengineConfig): ConcurrengineConfig {
  const copy = Object.fromEntries(Object.entries(config).map(([section, values]) => [section, { ...values }])) as Record<string, Record<string, unknown>>;
  for (const entry of configEntries(config)) if (entry.secret && entry.value !== '') copy[entry.section]![entry.prop] = '<hidden>';
  return copy as unknown as ConcurrengineConfig;
}

/** The resolved configuration as valid TOML, origins as end-of-line comments. */
export function formatResolved(loaded: LoadedConfig): string {
  const entries = configEntries(loaded.config);
  const width = Math.max(...entries.map((e) => e.toml.length));
  const warned = new Set(loaded.warnings.map((w) => w.keyPath));
  const lines: string[] = [];
  let section = '';
  for (const entry of entries) {
    if (entry.section !== section) {
      if (section !== '') lines.push('');
      section = entry.section;
      lines.push(`[${section}]`);
    }
    const note = warned.has(entry.keyPath) ? ' (see warning)' : '';
    lines.push(`${shown(entry).padEnd(width)}  # ${describeOrigin(loaded.origins[entry.keyPath])}${note}`);
  }
  return `${lines.join('\n')}\n`;
}
