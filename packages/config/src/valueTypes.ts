/**
 * The value types of the key table. One `ValueType` parses a value read from TOML, reads the
 * text of an environment variable, and writes the value back as TOML, so the file, the
 * environment and the serializer can never disagree about a key.
 */
import type { ConfigErrorCode } from './errors.js';
import { suggest } from './suggest.js';
import { formatDuration, formatEndpoint, formatFrequency, parseDuration, parseEndpoint, parseFrequency, type Endpoint } from './units.js';

/** A rejected value: the issue code, what was expected and, for enums, a near miss. */
export class Invalid {
  constructor(
    readonly code: ConfigErrorCode,
    readonly expected: string,
    readonly suggestion?: string,
  ) {}
}

/** A TOML value as the serializer writes it: a scalar, or an array of numbers (`world_min = [0, 0, 0]`). */
export type TomlScalar = string | number | boolean | readonly number[];

/** Facts about the machine that some values resolve against (`threads = "auto"`). */
export interface ParseContext {
  readonly availableParallelism: number;
}

/** How one kind of value is read and written. */
export interface ValueType<T> {
  /** Short type name for docs: `integer`, `duration`, `frequency`, … */
  readonly kind: string;
  /** What a valid value looks like, for error messages and docs. */
  readonly expected: string;
  parse(raw: unknown, context: ParseContext): T | Invalid;
  /** Turns environment text into a value `parse` accepts (`"8"` → 8 for integers). */
  fromEnv(text: string): unknown;
  toToml(value: T): TomlScalar;
  /** A secret (a token): tools that show a configuration to people hide its value. */
  readonly secret?: boolean;
}

/** Env text for numbers: TOML-style digits with `_`, else left as text so `parse` rejects it by type. */
export function numberFromEnv(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(_\d+)*)(\.\d+)?(e[+-]?\d+)?$/i.test(trimmed)) return new Invalid('CONFIG_ENV', 'a number');
  return Number(trimmed.replaceAll('_', ''));
}

/** Whole numbers in `[min, max]`; a float such as `8.5` is a type error. */
export function integer(min: number, max: number): ValueType<number> {
  const expected = `an integer from ${min} to ${max}`;
  return {
    kind: 'integer',
    expected,
    parse: (raw) => {
      if (typeof raw !== 'number' || !Number.isInteger(raw)) return new Invalid('CONFIG_TYPE', expected);
      return raw < min || raw > max ? new Invalid('CONFIG_RANGE', expected) : raw;
    },
    fromEnv: numberFromEnv,
    toToml: (value) => value,
  };
}

/** Finite numbers in `[min, max]`; integers are accepted (`sample_rate = 1`). */
export function float(min: number, max: number): ValueType<number> {
  const expected = `a number from ${min} to ${max}`;
  return {
    kind: 'float',
    expected,
    parse: (raw) => {
      if (typeof raw !== 'number') return new Invalid('CONFIG_TYPE', expected);
      if (!Number.isFinite(raw) || raw < min || raw > max) return new Invalid('CONFIG_RANGE', expected);
      return raw + 0; // folds -0 into 0
    },
    fromEnv: numberFromEnv,
    toToml: (value) => value,
  };
}

/** `true` or `false` (in the environment also `1`/`0`, `yes`/`no`). */
export const boolean: ValueType<boolean> = {
  kind: 'boolean',
  expected: 'true or false',
  parse: (raw) => (typeof raw === 'boolean' ? raw : new Invalid('CONFIG_TYPE', 'true or false')),
  fromEnv: (text) => {
    const t = text.trim().toLowerCase();
    if (t === 'true' || t === '1' || t === 'yes') return true;
    if (t === 'false' || t === '0' || t === 'no') return false;
    return new Invalid('CONFIG_ENV', 'true or false');
  },
  toToml: (value) => value,
};

/** One of a fixed list of strings. */
export function oneOf<const T extends string>(values: readonly T[]): ValueType<T> {
  const expected = `one of ${values.map((v) => `"${v}"`).join(', ')}`;
  return {
    kind: 'enum',
    expected,
    parse: (raw) => {
      if (typeof raw !== 'string') return new Invalid('CONFIG_TYPE', expected);
      return (values as readonly string[]).includes(raw) ? (raw as T) : new Invalid('CONFIG_ENUM', expected, suggest(raw, values));
    },
    fromEnv: (text) => text.trim(),
    toToml: (value) => value,
  };
}

/** A non-empty string. */
export const text: ValueType<string> = {
  kind: 'string',
  expected: 'a non-empty string',
  parse: (raw) => (typeof raw !== 'string' ? new Invalid('CONFIG_TYPE', 'a non-empty string') : raw === '' ? new Invalid('CONFIG_RANGE', 'a non-empty string') : raw),
  fromEnv: (t) => t,
  toToml: (value) => value,
};

/**
 * A shared secret for an `Authorization` header: "" (none) or 1–4096 visible ASCII characters, so
 * it fits a Bearer header and a basic-auth password alike without escaping.
 */
export const token: ValueType<string> = {
  kind: 'token',
  secret: true,
  expected: '"" (none) or up to 4096 visible ASCII characters (no spaces)',
  parse: (raw) => (typeof raw !== 'string' ? new Invalid('CONFIG_TYPE', token.expected) : /^[\x21-\x7e]{0,4096}$/.test(raw) ? raw : new Invalid('CONFIG_RANGE', token.expected)),
  fromEnv: (t) => t.trim(),
  toToml: (value) => value,
};

/** Hertz: `"60hz"`, `"60 Hz"`, `"1khz"` or a bare number, within `[min, max]`. */
export function frequency(min: number, max: number): ValueType<number> {
  const expected = `a frequency from ${min} to ${max} Hz, e.g. "60hz" or 60`;
  return {
    kind: 'frequency',
    expected,
    parse: (raw) => {
      const hz = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseFrequency(raw) : new Invalid('CONFIG_TYPE', expected);
      if (hz instanceof Invalid) return hz;
      if (hz === undefined) return new Invalid('CONFIG_UNIT', expected);
      return !Number.isFinite(hz) || hz < min || hz > max ? new Invalid('CONFIG_RANGE', expected) : hz;
    },
    fromEnv: (t) => t,
    toToml: formatFrequency,
  };
}

/** Whole milliseconds written with a unit: `"250ms"`, `"2s"`, `"1m"`, `"1h"`. */
export function duration(minMs: number, maxMs: number): ValueType<number> {
  const expected = `a duration from ${formatDuration(minMs)} to ${formatDuration(maxMs)} with a unit (ms, s, m, h), e.g. "250ms"`;
  return {
    kind: 'duration',
    expected,
    parse: (raw) => {
      if (typeof raw === 'number') return new Invalid('CONFIG_UNIT', expected);
      if (typeof raw !== 'string') return new Invalid('CONFIG_TYPE', expected);
      const ms = parseDuration(raw);
      if (ms === undefined || Math.abs(ms - Math.round(ms)) > 1e-9) return new Invalid('CONFIG_UNIT', expected);
      const whole = Math.round(ms);
      return whole < minMs || whole > maxMs ? new Invalid('CONFIG_RANGE', expected) : whole;
    },
    fromEnv: (t) => t,
    toToml: formatDuration,
  };
}

/** `"host:port"` or `"[ipv6]:port"`. */
export const endpoint: ValueType<Endpoint> = {
  kind: 'endpoint',
  expected: 'an endpoint "host:port" (port 0-65535), e.g. "127.0.0.1:9090" or "[::1]:9090"',
  parse: (raw) => {
    if (typeof raw !== 'string') return new Invalid('CONFIG_TYPE', endpoint.expected);
    return parseEndpoint(raw.trim()) ?? new Invalid('CONFIG_UNIT', endpoint.expected);
  },
  fromEnv: (t) => t,
  toToml: formatEndpoint,
};

/** An integer in `[min, max]` or `"auto"`, which resolves to the machine's parallelism. */
export function integerOrAuto(min: number, max: number): ValueType<number> {
  const inner = integer(min, max);
  const expected = `${inner.expected}, or "auto"`;
  return {
    kind: 'integer | "auto"',
    expected,
    parse: (raw, context) => {
      if (raw === 'auto') return context.availableParallelism;
      if (typeof raw === 'string') {
        const near = suggest(raw, ['auto']);
        return new Invalid(near === undefined ? 'CONFIG_TYPE' : 'CONFIG_ENUM', expected, near);
      }
      const value = inner.parse(raw, context);
      return value instanceof Invalid ? new Invalid(value.code, expected) : value;
    },
    fromEnv: (t) => (t.trim() === 'auto' ? 'auto' : numberFromEnv(t)),
    toToml: (value) => value,
  };
}
