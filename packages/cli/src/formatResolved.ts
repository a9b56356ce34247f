/** Renders a loaded configuration as TOML with a comment per key saying where its value came from. */
import { configEntries, type LoadedConfig, type ValueOrigin } from '@concurrengine/config';

/** `default`, `file path:3`, `env CONCURRENGINE_ENGINE__THREADS`. */
export function describeOrigin(origin: ValueOrigin | undefined): string {
  if (origin === undefined || origin.kind === 'default') return 'default';
  if (origin.kind === 'env') return `env ${origin.name}`;
  return `file ${origin.file ?? '<text>'}:${origin.line}`;
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
    lines.push(`${entry.toml.padEnd(width)}  # ${describeOrigin(loaded.origins[entry.keyPath])}${note}`);
  }
  return `${lines.join('\n')}\n`;
}
