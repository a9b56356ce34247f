/**
 * The default {@link ConfigLoader}: file → smol-toml → key table, then environment overrides,
 * then defaults, then rules across keys. Collects every issue before throwing.
 */
import { availableParallelism as machineParallelism } from 'node:os';
import { applyMachineRules, crossKeyIssues, type Merged } from './checks.js';
import type { ConcurrengineConfig, ConfigInput, ConfigLoader, LoadedConfig, ValueOrigin } from './config.js';
import { readEnvOverrides } from './env.js';
import { spatialIssues } from './spatialChecks.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { locateKeys } from './locate.js';
import { parseToml, readSource, readTextFile, type ReadTextFile } from './readTable.js';
import { KEYS, SECTIONS } from './schema.js';
import { stringifyConfig } from './stringify.js';
import { invalidIssue, validateTable } from './validateTable.js';
import { Invalid, type ParseContext } from './valueTypes.js';

/** Options of {@link createConfigLoader}. */
export interface ConfigLoaderOptions {
  /** CPU threads of the machine (default `os.availableParallelism()`); inject it for deterministic tests. */
  readonly availableParallelism?: number;
  /** How files are read (default `fs.readFileSync(path, 'utf8')`). */
  readonly readFile?: ReadTextFile;
}

/** Parsed defaults per parallelism (only `threads = "auto"` depends on it). Defaults are table constants, so caching is safe. */
const defaultsCache = new Map<number, ReadonlyMap<string, unknown>>();

function parsedDefaults(context: ParseContext): ReadonlyMap<string, unknown> {
  let defaults = defaultsCache.get(context.availableParallelism);
  if (defaults === undefined) {
    const parsed = new Map<string, unknown>();
    for (const entry of KEYS) {
      const value = entry.parse(entry.default, context);
      if (value instanceof Invalid) throw new Error(`internal: default of ${entry.keyPath} is invalid (${value.expected})`);
      parsed.set(entry.keyPath, value);
    }
    if (defaultsCache.size > 64) defaultsCache.clear();
    defaults = parsed;
    defaultsCache.set(context.availableParallelism, defaults);
  }
  return defaults;
}

const DEFAULT_ORIGIN: ValueOrigin = Object.freeze({ kind: 'default' });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function fail(issues: ConfigIssue[]): never {
  const sorted = [...issues].sort((a, b) => Number(a.envVar !== undefined) - Number(b.envVar !== undefined) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new ConfigError(sorted as [ConfigIssue, ...ConfigIssue[]]);
}

/** Creates the default loader. */
export function createConfigLoader(options: ConfigLoaderOptions = {}): ConfigLoader {
  const context: ParseContext = { availableParallelism: Math.max(1, options.availableParallelism ?? machineParallelism()) };
  const read = options.readFile ?? readTextFile;

  const load = (input: ConfigInput = {}): LoadedConfig => {
    const issues: ConfigIssue[] = [];
    const merged: Merged = { values: new Map(), origins: new Map() };

    let text = input.text;
    if (text === undefined && input.file !== undefined) {
      const source = readSource(input.file, read);
      if ('issue' in source) fail([source.issue]);
      text = source.text;
    }
    if (text !== undefined) {
      const parsed = parseToml(text, input.file);
      if ('issue' in parsed) fail([parsed.issue]);
      const checked = validateTable(parsed.table, locateKeys(text), input.file, context);
      issues.push(...checked.issues);
      for (const { entry, value, line, column } of checked.values) {
        merged.values.set(entry.keyPath, value);
        merged.origins.set(entry.keyPath, { kind: 'file', file: input.file, line, column });
      }
    }

    const env = readEnvOverrides(input.env ?? {});
    issues.push(...env.issues);
    for (const { entry, name, text: envText, raw } of env.overrides) {
      const value = entry.parse(raw, context);
      if (value instanceof Invalid) {
        // Text that does not read as the key's type is CONFIG_ENV; a readable but wrong value keeps its code.
        const code = value.code === 'CONFIG_TYPE' || value.code === 'CONFIG_UNIT' ? 'CONFIG_ENV' : value.code;
        issues.push({ ...invalidIssue(entry, envText, new Invalid(code, value.expected, value.suggestion)), envVar: name });
        continue;
      }
      merged.values.set(entry.keyPath, value);
      merged.origins.set(entry.keyPath, { kind: 'env', name });
    }

    const origins: Record<string, ValueOrigin> = {};
    const defaults = parsedDefaults(context);
    for (const entry of KEYS) {
      if (!merged.values.has(entry.keyPath)) merged.values.set(entry.keyPath, defaults.get(entry.keyPath));
      origins[entry.keyPath] = merged.origins.get(entry.keyPath) ?? DEFAULT_ORIGIN;
    }

    issues.push(...crossKeyIssues(merged), ...spatialIssues(merged));
    if (issues.length > 0) fail(issues);
    const warnings = applyMachineRules(merged, context.availableParallelism);

    const config: Record<string, Record<string, unknown>> = {};
    for (const section of SECTIONS) config[section] = {};
    for (const entry of KEYS) {
      const section = config[entry.section] ?? {};
      section[entry.prop] = merged.values.get(entry.keyPath);
    }
    return deepFreeze({ config: config as unknown as ConcurrengineConfig, origins, warnings });
  };

  return { load, stringify: stringifyConfig };
}

/**
 * Loads a configuration from a TOML file or text, environment overrides and defaults.
 * @throws {ConfigError} with every issue found (`CONFIG_SYNTAX`, `CONFIG_UNKNOWN_KEY`, …).
 * @example
 * const { config, warnings } = loadConfig({ file: 'concurrengine.toml', env: process.env });
 */
export function loadConfig(input: ConfigInput & ConfigLoaderOptions = {}): LoadedConfig {
  const { availableParallelism, readFile, ...rest } = input;
  return createConfigLoader({
    ...(availableParallelism === undefined ? {} : { availableParallelism }),
    ...(readFile === undefined ? {} : { readFile }),
  }).load(rest);
}
