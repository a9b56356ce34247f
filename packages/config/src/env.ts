/**
 * Environment overrides: `CONCURRENGINE_<SECTION>__<KEY>=value`, e.g.
 * `CONCURRENGINE_ENGINE__THREADS=8`. Names are matched case-insensitively; a variable with the
 * prefix but without `__` is not an override and is left alone; an empty value counts as unset.
 */
import type { ConfigIssue } from './errors.js';
import { ENV_PREFIX, KEYS, SECTIONS, findKey, type KeyEntry } from './schema.js';
import { suggest } from './suggest.js';
import { Invalid } from './valueTypes.js';

/** One override whose text was read into a value `KeyEntry.parse` can judge. */
export interface EnvOverride {
  readonly entry: KeyEntry;
  readonly name: string;
  readonly text: string;
  readonly raw: unknown;
}

/** Overrides found in `env`, plus issues for names that match no key and text that cannot be read. */
export function readEnvOverrides(env: Readonly<Record<string, string | undefined>>): { overrides: EnvOverride[]; issues: ConfigIssue[] } {
  const overrides: EnvOverride[] = [];
  const issues: ConfigIssue[] = [];
  for (const name of Object.keys(env).sort()) {
    const text = env[name];
    if (text === undefined || text === '' || !name.toUpperCase().startsWith(ENV_PREFIX)) continue;
    const rest = name.slice(ENV_PREFIX.length).toLowerCase();
    const split = rest.indexOf('__');
    if (split < 0) continue;
    const section = rest.slice(0, split);
    const key = rest.slice(split + 2);
    if (!(SECTIONS as readonly string[]).includes(section)) {
      const near = suggest(section, SECTIONS);
      issues.push({
        code: 'CONFIG_UNKNOWN_SECTION',
        message: `unknown section "${section}"`,
        keyPath: `${section}.${key}`,
        value: text,
        expected: `one of ${SECTIONS.join(', ')}`,
        envVar: name,
        ...(near === undefined ? {} : { suggestion: `${ENV_PREFIX}${near.toUpperCase()}__${key.toUpperCase()}` }),
      });
      continue;
    }
    const entry = findKey(section, key);
    if (entry === undefined) {
      const candidates = KEYS.filter((k) => k.section === section);
      const near = suggest(key, candidates.map((k) => k.key));
      issues.push({
        code: 'CONFIG_UNKNOWN_KEY',
        message: `unknown key "${key}" in section [${section}]`,
        keyPath: `${section}.${key}`,
        value: text,
        expected: `one of ${candidates.map((k) => k.key).join(', ')}`,
        envVar: name,
        ...(near === undefined ? {} : { suggestion: candidates.find((k) => k.key === near)?.envVar ?? near }),
      });
      continue;
    }
    const raw = entry.fromEnv(text);
    if (raw instanceof Invalid) {
      issues.push({
        code: 'CONFIG_ENV',
        message: `cannot read ${JSON.stringify(text)}, expected ${entry.expected}`,
        keyPath: entry.keyPath,
        value: text,
        expected: entry.expected,
        envVar: name,
      });
      continue;
    }
    overrides.push({ entry, name, text, raw });
  }
  return { overrides, issues };
}
