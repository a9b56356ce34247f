/** Serializes a resolved configuration back to TOML that loads to an equal configuration. */
import { stringify } from 'smol-toml';
import type { ConcurrengineConfig } from './config.js';
import { KEYS, SECTIONS } from './schema.js';
import type { TomlScalar } from './valueTypes.js';

/** One key of a resolved configuration, with its value written as in TOML. */
export interface ConfigEntry {
  readonly section: string;
  readonly key: string;
  readonly keyPath: string;
  /** Property name in the resolved config (`tickRateHz`). */
  readonly prop: string;
  readonly envVar: string;
  /** The value as it would be written in TOML: `"60hz"`, `8`, `"127.0.0.1:9090"`. */
  readonly value: TomlScalar;
  /** The same value as one line of TOML: `tick_rate = "60hz"`. */
  readonly toml: string;
  /** A secret (`telemetry.auth_token`): a tool showing the configuration to people hides `value`. */
  readonly secret: boolean;
}

/** Every key of `config` in table order, each as TOML. */
export function configEntries(config: ConcurrengineConfig): readonly ConfigEntry[] {
  return KEYS.map((entry) => {
    const section = config[entry.section] as unknown as Record<string, unknown>;
    const value = entry.toToml(section[entry.prop]);
    return { section: entry.section, key: entry.key, keyPath: entry.keyPath, prop: entry.prop, envVar: entry.envVar, value, toml: stringify({ [entry.key]: value }).trim(), secret: entry.secret };
  });
}

/**
 * `config` as TOML, one `[section]` per part, units written out (`"60hz"`, `"250ms"`).
 * @example
 * writeFileSync('resolved.toml', stringifyConfig(loadConfig({ env: process.env }).config));
 */
export function stringifyConfig(config: ConcurrengineConfig): string {
  const table: Record<string, Record<string, TomlScalar>> = {};
  for (const section of SECTIONS) table[section] = {};
  for (const entry of configEntries(config)) {
    const section = table[entry.section];
    if (section) section[entry.key] = entry.value;
  }
  return stringify(table);
}
