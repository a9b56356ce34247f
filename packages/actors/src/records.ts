/**
 * Event and message types: named records of numeric lanes, so a payload crosses threads as a few
 * float64s in a shared buffer instead of an object through `postMessage`.
 *
 * ```ts
 * const PositionChanged = defineEvent('PositionChanged', { position: 'vec3' });
 * const Damage = defineMessage('Damage', { amount: 'f64', from: 'ref' });
 * ```
 */
import { ActorError } from './errors.js';
import { isActorRef, type ActorRef } from './ref.js';
import { Vec3, type Vec2Like, type Vec3Like } from './vectors.js';

export type PayloadFieldType = 'f64' | 'i32' | 'u32' | 'bool' | 'ref' | 'vec2' | 'vec3' | 'quat';
export type PayloadFields = Readonly<Record<string, PayloadFieldType>>;

interface QuatLike extends Vec3Like {
  readonly w: number;
}

type ValueOf<T extends PayloadFieldType> = T extends 'vec3'
  ? Vec3Like
  : T extends 'vec2'
    ? Vec2Like
    : T extends 'quat'
      ? QuatLike
      : T extends 'bool'
        ? boolean
        : T extends 'ref'
          ? ActorRef
          : number;

type IsSingle<F> = keyof F extends infer K ? (K extends unknown ? ([Exclude<keyof F, K>] extends [never] ? true : false) : never) : never;

/** A payload: an object with every field, or — for a one-field record — the field's value alone. */
export type Payload<F extends PayloadFields> =
  | { readonly [K in keyof F]: ValueOf<F[K]> }
  | (true extends IsSingle<F> ? ValueOf<F[keyof F]> : never);

/** The decoded form of a payload (vectors as plain objects). */
export type Decoded<F extends PayloadFields> = { [K in keyof F]: ValueOf<F[K]> };

export interface RecordType<F extends PayloadFields = PayloadFields> {
  readonly role: 'event' | 'message';
  readonly name: string;
  /** 32-bit id from the role and name, equal in every thread (see `recordTypeById`). */
  readonly id: number;
  /**
   * A per-thread cache slot for the runtime (the engine keeps "is anyone subscribed, as of
   * generation g" here so an emit checks one field instead of a map). 0 initially.
   */
  routing: number;
  readonly fields: F;
  /** Float64 lanes of one encoded payload. */
  readonly lanes: number;
  /** Writes `payload` at `out[at …]`; throws `ACTOR_PAYLOAD_INVALID` naming the field on a bad value. */
  encode(payload: Payload<F>, out: Float64Array, at: number): void;
  decode(source: Float64Array, at: number): Decoded<F>;
  /**
   * A delivered message: `{ type, from, …payload }` built in one step, so every message of a type
   * has the same shape (adding `type` and `from` after decoding changed it twice per message).
   */
  decodeMessage(source: Float64Array, at: number, from: number): Decoded<F> & { readonly type: RecordType<F>; readonly from: number };
}

export type EventType<F extends PayloadFields = PayloadFields> = RecordType<F> & { readonly role: 'event' };
export type MessageType<F extends PayloadFields = PayloadFields> = RecordType<F> & { readonly role: 'message' };

const LANES: Readonly<Record<PayloadFieldType, number>> = { f64: 1, i32: 1, u32: 1, bool: 1, ref: 1, vec2: 2, vec3: 3, quat: 4 };
const AXES = ['x', 'y', 'z', 'w'] as const;

export function defineEvent<const F extends PayloadFields>(name: string, fields: F): EventType<F> {
  return defineRecord('event', name, fields) as EventType<F>;
}

export function defineMessage<const F extends PayloadFields>(name: string, fields: F): MessageType<F> {
  return defineRecord('message', name, fields) as MessageType<F>;
}

/** Every record type defined in this thread, by id: how a receiver decodes a record from another thread. */
const byId = new Map<number, RecordType>();

/** The record type with this id defined in this thread, if any. */
export function recordTypeById(id: number): RecordType | undefined {
  return byId.get(id);
}

function recordId(role: string, name: string): number {
  // FNV-1a over the UTF-16 code units: stable across threads and runs.
  let h = 0x811c9dc5;
  const key = `${role}:${name}`;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function defineRecord<F extends PayloadFields>(role: 'event' | 'message', name: string, fields: F): RecordType<F> {
  const id = recordId(role, name);
  const known = byId.get(id);
  if (known) {
    // The same definition again (a module re-imported for hot reload) is fine; another shape is not.
    if (JSON.stringify(known.fields) === JSON.stringify(fields) && known.name === name) return known as RecordType<F>;
    throw new ActorError('ACTOR_SCHEMA_INVALID', `${role} ${name} is defined twice with different fields (or its id collides with ${known.role} ${known.name})`);
  }
  const type = buildRecord(role, name, id, fields);
  byId.set(id, type as RecordType);
  return type;
}

function buildRecord<F extends PayloadFields>(role: 'event' | 'message', name: string, id: number, fields: F): RecordType<F> {
  const entries = Object.entries(fields);
  for (const [key, type] of entries) {
    if (!(type in LANES)) throw new ActorError('ACTOR_SCHEMA_INVALID', `${role} ${name}: field ${key} has unknown type ${JSON.stringify(type)}`);
  }
  const offsets: number[] = [];
  let lanes = 0;
  for (const [, type] of entries) {
    offsets.push(lanes);
    lanes += LANES[type];
  }
  const single = entries.length === 1 ? entries[0]! : undefined;
  const singleVec3 = single?.[1] === 'vec3';

  const fail = (key: string, value: unknown, expected: string): never => {
    throw new ActorError('ACTOR_PAYLOAD_INVALID', `${role} ${name}: field ${key} = ${describe(value)}, expected ${expected}`);
  };
  // A plain { x, y, z[, w] } object.
  const writeLanes = (key: string, type: PayloadFieldType, value: unknown, out: Float64Array, at: number) => {
    const v = value as Record<string, unknown> | null;
    if (typeof v !== 'object' || v === null) fail(key, value, `a ${type}`);
    for (let lane = 0; lane < LANES[type]; lane++) {
      const n = v![AXES[lane]!];
      if (typeof n !== 'number') fail(`${key}.${AXES[lane]}`, n, 'a number');
      out[at + lane] = n as number;
    }
  };
  const writeField = (key: string, type: PayloadFieldType, value: unknown, out: Float64Array, at: number) => {
    switch (type) {
      case 'vec3':
        if (value instanceof Vec3) {
          const a = value.a;
          const i = value.c.o * 3;
          out[at] = a[i]!;
          out[at + 1] = a[i + 1]!;
          out[at + 2] = a[i + 2]!;
          return;
        }
        writeLanes(key, type, value, out, at);
        return;
      case 'vec2':
      case 'quat':
        writeLanes(key, type, value, out, at);
        return;
      case 'bool':
        if (typeof value !== 'boolean') fail(key, value, 'a boolean');
        out[at] = value ? 1 : 0;
        return;
      case 'ref':
        if (!isActorRef(value)) fail(key, value, 'an actor ref');
        out[at] = value as number;
        return;
      default:
        if (typeof value !== 'number' || (type !== 'f64' && !Number.isInteger(value))) fail(key, value, type === 'f64' ? 'a number' : `an integer (${type})`);
        out[at] = value as number;
    }
  };

  const decode = compilePayloadDecoder(entries as [string, PayloadFieldType][], offsets) as RecordType<F>['decode'];
  const record: RecordType<F> = {
    role,
    name,
    id,
    routing: 0,
    fields,
    lanes,
    encode(payload, out, at) {
      // Fast path of the brief's `ctx.emit(PositionChanged, this.position)`: a view as the whole payload.
      if (singleVec3 && payload instanceof Vec3) {
        const a = payload.a;
        const i = payload.c.o * 3;
        out[at] = a[i]!;
        out[at + 1] = a[i + 1]!;
        out[at + 2] = a[i + 2]!;
        return;
      }
      if (single && !(typeof payload === 'object' && payload !== null && Object.hasOwn(payload, single[0]))) {
        writeField(single[0], single[1], payload, out, at);
        return;
      }
      if (typeof payload !== 'object' || payload === null) fail('(payload)', payload, `an object with ${entries.map(([k]) => k).join(', ')}`);
      const record = payload as Record<string, unknown>;
      for (let f = 0; f < entries.length; f++) writeField(entries[f]![0], entries[f]![1], record[entries[f]![0]], out, at + offsets[f]!);
    },
    decode,
    decodeMessage: undefined as never,
  };
  // The decoders are compiled once per type: an object literal of fixed shape, one property per
  // field, instead of a loop adding properties by name (a dictionary-shaped object per message).
  record.decodeMessage = compileDecoder(entries, offsets, record) as RecordType<F>['decodeMessage'];
  return record;
}

function compileDecoder(entries: readonly (readonly [string, PayloadFieldType])[], offsets: readonly number[], type: unknown): (source: Float64Array, at: number, from: number) => unknown {
  const fields = entries.map(([key, kind], f) => `${JSON.stringify(key)}: ${valueExpression(kind, offsets[f]!)}`);
  return new Function('type', `return function decodeMessage(s, at, from) { return { type: type, from: from${fields.map((f) => `, ${f}`).join('')} }; };`)(type) as never;
}

function compilePayloadDecoder(entries: readonly (readonly [string, PayloadFieldType])[], offsets: readonly number[]): (source: Float64Array, at: number) => unknown {
  const fields = entries.map(([key, kind], f) => `${JSON.stringify(key)}: ${valueExpression(kind, offsets[f]!)}`);
  return new Function(`return function decode(s, at) { return { ${fields.join(', ')} }; };`)() as never;
}

function valueExpression(kind: PayloadFieldType, offset: number): string {
  const lane = (n: number) => `s[at + ${offset + n}]`;
  if (kind === 'vec2' || kind === 'vec3' || kind === 'quat') return `{ ${AXES.slice(0, LANES[kind]).map((axis, n) => `${axis}: ${lane(n)}`).join(', ')} }`;
  return kind === 'bool' ? `${lane(0)} !== 0` : lane(0);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
