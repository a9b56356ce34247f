/**
 * Value types whose `"auto"` stays `'auto'` in the resolved config (the consumer fills it in, e.g.
 * the engine pads the actors' extent), unlike `integerOrAuto`, which resolves against the machine.
 * `[spatial]` uses them: world corners, a merge threshold and a grid cell that default to the
 * engine's (or the program's) own choice.
 */
import { suggest } from './suggest.js';
import { Invalid, numberFromEnv, type ValueType } from './valueTypes.js';

/** A point as three finite numbers (x, y, z). */
export type Vec3 = readonly [number, number, number];

/** A string that is not `"auto"`: a near miss is an enum error with a did-you-mean, anything else a type error. */
function notAuto(raw: string, expected: string): Invalid {
  const near = suggest(raw, ['auto']);
  return new Invalid(near === undefined ? 'CONFIG_TYPE' : 'CONFIG_ENUM', expected, near);
}

/** `inner`'s values, or `"auto"`, which resolves to `'auto'`. */
export function orAuto<T>(inner: ValueType<T>): ValueType<T | 'auto'> {
  const expected = `${inner.expected}, or "auto"`;
  return {
    kind: `${inner.kind} | "auto"`,
    expected,
    parse: (raw, context) => {
      if (raw === 'auto') return 'auto';
      if (typeof raw === 'string') return notAuto(raw, expected);
      const value = inner.parse(raw, context);
      return value instanceof Invalid ? new Invalid(value.code, expected) : value;
    },
    fromEnv: (t) => (t.trim() === 'auto' ? 'auto' : inner.fromEnv(t)),
    toToml: (value) => (value === 'auto' ? 'auto' : inner.toToml(value)),
  };
}

/** A finite number above 0 (a length such as a grid cell). */
export const positiveNumber: ValueType<number> = {
  kind: 'float',
  expected: 'a finite number above 0',
  parse: (raw) => {
    if (typeof raw !== 'number') return new Invalid('CONFIG_TYPE', positiveNumber.expected);
    return Number.isFinite(raw) && raw > 0 ? raw : new Invalid('CONFIG_RANGE', positiveNumber.expected);
  },
  fromEnv: numberFromEnv,
  toToml: (value) => value,
};

const VEC3_EXPECTED = 'an array of 3 finite numbers [x, y, z], or "auto"';

/**
 * `"auto"` or `[x, y, z]`. In the environment also `-100,-100,-100` or `[-100, -100, -100]`.
 * A wrong length or a non-number is a type error; `nan` and `inf` are range errors.
 */
export const vec3OrAuto: ValueType<Vec3 | 'auto'> = {
  kind: 'vec3 | "auto"',
  expected: VEC3_EXPECTED,
  parse: (raw) => {
    if (raw === 'auto') return 'auto';
    if (typeof raw === 'string') return notAuto(raw, VEC3_EXPECTED);
    if (!Array.isArray(raw) || raw.length !== 3 || !raw.every((x) => typeof x === 'number')) return new Invalid('CONFIG_TYPE', VEC3_EXPECTED);
    if (!raw.every((x: number) => Number.isFinite(x))) return new Invalid('CONFIG_RANGE', VEC3_EXPECTED);
    return raw.map((x: number) => x + 0) as unknown as Vec3; // + 0 folds -0 into 0
  },
  fromEnv: (text) => {
    const t = text.trim();
    if (t === 'auto') return 'auto';
    const inner = t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t;
    const parts = inner.split(',').map(numberFromEnv);
    // A part that is not a number cannot be read; a readable list of the wrong length is left to parse.
    return parts.some((p) => p instanceof Invalid) ? new Invalid('CONFIG_ENV', VEC3_EXPECTED) : parts;
  },
  toToml: (value) => (value === 'auto' ? 'auto' : [...value]),
};
