/**
 * Checks a parsed TOML table against the key table: unknown sections and keys (with a
 * did-you-mean), wrong types, ranges, enums and units. Collects every issue, located with
 * `locateKeys`, and the values that passed.
 */
import type { TomlTable } from 'smol-toml';
import type { ConfigIssue } from './errors.js';
import { describeValue } from './describeValue.js';
import type { KeyPositions } from './locate.js';
import { KEYS, SECTIONS, findKey, type KeyEntry } from './schema.js';
import { suggest } from './suggest.js';
import { Invalid, type ParseContext } from './valueTypes.js';

/** A value read from the file, already parsed. */
export interface FileValue {
  readonly entry: KeyEntry;
  readonly value: unknown;
  readonly line: number;
  readonly column: number;
}

const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Turns a rejected value into an issue (shared with environment overrides). */
export function invalidIssue(entry: KeyEntry, raw: unknown, invalid: Invalid): ConfigIssue {
  return {
    code: invalid.code,
    message: `got ${describeValue(raw)}, expected ${invalid.expected}`,
    keyPath: entry.keyPath,
    value: raw,
    expected: invalid.expected,
    ...(invalid.suggestion === undefined ? {} : { suggestion: invalid.suggestion }),
  };
}

/** Validates `table`; `file` and `positions` only serve the locations of issues. */
export function validateTable(table: TomlTable, positions: KeyPositions, file: string | undefined, context: ParseContext): { values: FileValue[]; issues: ConfigIssue[] } {
  const values: FileValue[] = [];
  const issues: ConfigIssue[] = [];
  const at = (path: string, ofValue: boolean): Pick<ConfigIssue, 'file' | 'line' | 'column'> => {
    const p = positions.get(path);
    const where = p === undefined ? {} : ofValue ? { line: p.valueLine, column: p.valueColumn } : { line: p.line, column: p.column };
    return { ...(file === undefined ? {} : { file }), ...where };
  };

  for (const [section, body] of Object.entries(table)) {
    if (!(SECTIONS as readonly string[]).includes(section)) {
      if (isTable(body)) {
        const near = suggest(section, SECTIONS);
        issues.push({ code: 'CONFIG_UNKNOWN_SECTION', message: `unknown section [${section}]`, keyPath: section, value: body, expected: `one of ${SECTIONS.map((s) => `[${s}]`).join(', ')}`, ...(near === undefined ? {} : { suggestion: near }), ...at(section, false) });
      } else {
        const home = KEYS.find((k) => k.key === section);
        const near = home?.keyPath ?? suggest(section, SECTIONS);
        issues.push({ code: 'CONFIG_UNKNOWN_KEY', message: `key "${section}" must be inside a section`, keyPath: section, value: body, expected: `a section such as [${SECTIONS[0] ?? 'engine'}]`, ...(near === undefined ? {} : { suggestion: near }), ...at(section, false) });
      }
      continue;
    }
    if (!isTable(body)) {
      issues.push({ code: 'CONFIG_TYPE', message: `${section} must be a table [${section}], got ${describeValue(body)}`, keyPath: section, value: body, expected: `a table [${section}]`, ...at(section, true) });
      continue;
    }
    for (const [key, raw] of Object.entries(body)) {
      const keyPath = `${section}.${key}`;
      const entry = findKey(section, key);
      if (entry === undefined) {
        const names = KEYS.filter((k) => k.section === section).map((k) => k.key);
        const near = suggest(key, names);
        issues.push({ code: 'CONFIG_UNKNOWN_KEY', message: `unknown key "${key}" in section [${section}]`, keyPath, value: raw, expected: `one of ${names.join(', ')}`, ...(near === undefined ? {} : { suggestion: near }), ...at(keyPath, false) });
        continue;
      }
      const value = entry.parse(raw, context);
      if (value instanceof Invalid) {
        issues.push({ ...invalidIssue(entry, raw, value), ...at(keyPath, true) });
        continue;
      }
      const p = positions.get(keyPath);
      values.push({ entry, value, line: p?.line ?? 0, column: p?.column ?? 0 });
    }
  }
  return { values, issues };
}
