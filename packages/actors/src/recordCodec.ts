/**
 * The compiled codecs of a record type: one `encode` and two decoders per type, generated once
 * with `new Function`, so a payload's fields are written by straight-line code of fixed shape.
 *
 * `encode` is also the range check of message input (issue 15): each field costs one or two
 * comparisons (`(v | 0) === v` is "an i32", `v >>> 0 === v` "a u32"), and a value out of range
 * throws `ACTOR_PAYLOAD_INVALID` naming the record, the field and the range.
 */
import { describeValue } from './describeValue.js';
import { ActorError } from './errors.js';
import { isActorRef } from './ref.js';
import { Vec3 } from './vectors.js';

export type PayloadFieldType = 'f64' | 'i32' | 'u32' | 'bool' | 'ref' | 'vec2' | 'vec3' | 'quat';

export const LANES: Readonly<Record<PayloadFieldType, number>> = { f64: 1, i32: 1, u32: 1, bool: 1, ref: 1, vec2: 2, vec3: 3, quat: 4 };
const AXES = ['x', 'y', 'z', 'w'] as const;

/**
 * What a field takes, as its error says. f64 and vector lanes take any number, NaN and ±Infinity
 * included: they are float64 from end to end (as an actor's own f64 columns are), and the engine
 * already tolerates NaN positions. Integer, bool and ref fields take no NaN.
 */
const EXPECTED: Readonly<Record<PayloadFieldType, string>> = {
  f64: 'a number',
  i32: 'an integer in [-2147483648, 2147483647] (i32)',
  u32: 'an integer in [0, 4294967295] (u32)',
  bool: 'a boolean',
  ref: 'an actor ref (an integer in [0, 2^48))',
  vec2: 'a vec2 { x, y }',
  vec3: 'a vec3 { x, y, z }',
  quat: 'a quat { x, y, z, w }',
};

type Entries = readonly (readonly [string, PayloadFieldType])[];
type Fail = (key: string, value: unknown, expected: string) => never;

/** The error every refused payload value raises. */
export function payloadFailure(role: string, name: string): Fail {
  return (key, value, expected) => {
    throw new ActorError('ACTOR_PAYLOAD_INVALID', `${role} ${name}: field ${key} = ${describeValue(value)}, expected ${expected}`);
  };
}

/**
 * `encode(payload, out, at)`: writes every field or throws before returning (lanes written before
 * the bad field stay written: the caller rolls back the record, as the engine's outbox does).
 * A one-field record also takes the field's value alone (a `Vec3` view first: the brief's
 * `ctx.emit(PositionChanged, this.position)`).
 */
export function compileEncoder(entries: Entries, offsets: readonly number[], fail: Fail): (payload: unknown, out: Float64Array, at: number) => void {
  const lines: string[] = ['let v, n;'];
  const single = entries.length === 1 ? entries[0]! : undefined;
  if (single) {
    if (single[1] === 'vec3') lines.push(`if (p instanceof Vec3) { ${vec3View('p', 0)} return; }`);
    lines.push(`if (typeof p !== 'object' || p === null || !hasOwn(p, ${JSON.stringify(single[0])})) { v = p; ${fieldCode(single[0], single[1], 0)} return; }`);
  } else {
    const keys = JSON.stringify(`an object with ${entries.map(([k]) => k).join(', ')}`);
    lines.push(`if (typeof p !== 'object' || p === null) fail('(payload)', p, ${keys});`);
  }
  entries.forEach(([key, type], f) => lines.push(`v = p[${JSON.stringify(key)}]; ${fieldCode(key, type, offsets[f]!)}`));
  const source = `return function encode(p, out, at) {\n  ${lines.join('\n  ')}\n};`;
  return new Function('fail', 'Vec3', 'isRef', 'hasOwn', source)(fail, Vec3, isActorRef, Object.hasOwn) as never;
}

function fieldCode(key: string, type: PayloadFieldType, offset: number): string {
  const k = JSON.stringify(key);
  const e = JSON.stringify(EXPECTED[type]);
  const out = `out[at + ${offset}]`;
  switch (type) {
    case 'f64':
      return `if (typeof v !== 'number') fail(${k}, v, ${e}); ${out} = v;`;
    case 'i32':
      // `| 0` also turns -0 into 0, so an integer field never stores -0.
      return `if (typeof v !== 'number' || (v | 0) !== v) fail(${k}, v, ${e}); ${out} = v | 0;`;
    case 'u32':
      return `if (typeof v !== 'number' || v >>> 0 !== v) fail(${k}, v, ${e}); ${out} = v >>> 0;`;
    case 'bool':
      return `if (v === true) ${out} = 1; else if (v === false) ${out} = 0; else fail(${k}, v, ${e});`;
    case 'ref':
      return `if (!isRef(v)) fail(${k}, v, ${e}); ${out} = v;`;
    default: {
      const lanes = AXES.slice(0, LANES[type]).map(
        (axis, n) => `n = v.${axis}; if (typeof n !== 'number') fail(${JSON.stringify(`${key}.${axis}`)}, n, 'a number'); out[at + ${offset + n}] = n;`,
      );
      const plain = `if (typeof v !== 'object' || v === null) fail(${k}, v, ${e}); ${lanes.join(' ')}`;
      return type === 'vec3' ? `if (v instanceof Vec3) { ${vec3View('v', offset)} } else { ${plain} }` : plain;
    }
  }
}

/** Copies a `Vec3` view's three lanes straight from its column (no getters). */
function vec3View(name: string, offset: number): string {
  return `const a = ${name}.a, i = ${name}.c.o * 3; out[at + ${offset}] = a[i]; out[at + ${offset + 1}] = a[i + 1]; out[at + ${offset + 2}] = a[i + 2];`;
}

/** A delivered message, `{ type, from, …payload }` built in one object literal of fixed shape. */
export function compileMessageDecoder(entries: Entries, offsets: readonly number[], type: unknown): (source: Float64Array, at: number, from: number) => unknown {
  const fields = entries.map(([key, kind], f) => `${JSON.stringify(key)}: ${valueExpression(kind, offsets[f]!)}`);
  return new Function('type', `return function decodeMessage(s, at, from) { return { type: type, from: from${fields.map((f) => `, ${f}`).join('')} }; };`)(type) as never;
}

export function compilePayloadDecoder(entries: Entries, offsets: readonly number[]): (source: Float64Array, at: number) => unknown {
  const fields = entries.map(([key, kind], f) => `${JSON.stringify(key)}: ${valueExpression(kind, offsets[f]!)}`);
  return new Function(`return function decode(s, at) { return { ${fields.join(', ')} }; };`)() as never;
}

function valueExpression(kind: PayloadFieldType, offset: number): string {
  const lane = (n: number) => `s[at + ${offset + n}]`;
  if (kind === 'vec2' || kind === 'vec3' || kind === 'quat') return `{ ${AXES.slice(0, LANES[kind]).map((axis, n) => `${axis}: ${lane(n)}`).join(', ')} }`;
  return kind === 'bool' ? `${lane(0)} !== 0` : lane(0);
}
