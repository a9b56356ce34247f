/**
 * Event and message types: named records of numeric lanes, so a payload crosses threads as a few
 * float64s in a shared buffer instead of an object through `postMessage`.
 *
 * ```ts
 * const PositionChanged = defineEvent('PositionChanged', { position: 'vec3' });
 * const Damage = defineMessage('Damage', { amount: 'f64', from: 'ref' });
 * ```
 */
import { describeValue, QUOTE_LIMIT } from './describeValue.js';
import { ActorError } from './errors.js';
import { compileEncoder, compileMessageDecoder, compilePayloadDecoder, LANES, payloadFailure, type PayloadFieldType } from './recordCodec.js';
import type { ActorRef } from './ref.js';
import type { Vec2Like, Vec3Like } from './vectors.js';

export type { PayloadFieldType } from './recordCodec.js';
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
  /**
   * Writes `payload` at `out[at …]`. Throws `ACTOR_PAYLOAD_INVALID` (naming the record, the field,
   * the range and the value, cut to 80 characters) on a wrong type or a value out of range:
   * i32 and u32 take integers in their range only, bool a boolean, ref a ref-shaped integer, f64
   * and vector lanes any number (NaN and ±Infinity included). Lanes before the bad field may be
   * written: the caller drops the record.
   */
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

/**
 * Marks the objects `defineRecord` built, with their role: a module-private symbol on a
 * non-enumerable property, so a spread or `structuredClone` copy does not carry it. One property
 * load per check (a `byId.get(id) === value` lookup measured ~30–50 ns against ~4 ns: too much
 * for every `ctx.send`).
 */
const BRAND = Symbol('concurrengine.recordType');

/**
 * Whether `value` is a `role` type that `defineEvent`/`defineMessage` returned in this thread —
 * not a copy or a look-alike, whose `lanes` and `encode` nothing vouches for.
 */
export function isRecordType(value: unknown, role: 'event' | 'message'): value is RecordType {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === role;
}

/**
 * Throws unless `value` is a `role` type defined in this thread (see `isRecordType`).
 *
 * @throws ActorError `ACTOR_RECORD_TYPE_INVALID`, starting with `where` and saying what it got.
 */
export function assertRecordType(value: unknown, role: 'event' | 'message', where: string): asserts value is RecordType {
  if (isRecordType(value, role)) return;
  const define = role === 'event' ? 'defineEvent()' : 'defineMessage()';
  if (typeof value !== 'object' || value === null) {
    throw new ActorError('ACTOR_RECORD_TYPE_INVALID', `${where}: ${describeValue(value)} is not ${role === 'event' ? 'an event' : 'a message'} type; pass what ${define} returned`);
  }
  const { role: itsRole, name } = value as { role?: unknown; name?: unknown };
  const named = typeof name === 'string' ? clip(name) : undefined;
  if (isRecordType(value, role === 'event' ? 'message' : 'event')) {
    throw new ActorError('ACTOR_RECORD_TYPE_INVALID', `${where}: ${String(itsRole)} ${named} is ${itsRole === 'event' ? 'an event' : 'a message'} type, not ${role === 'event' ? 'an event' : 'a message'} type`);
  }
  const what = named === undefined ? 'an object' : `${typeof itsRole === 'string' ? clip(itsRole) : 'record'} ${named}`;
  throw new ActorError(
    'ACTOR_RECORD_TYPE_INVALID',
    `${where}: ${what} is not the one ${define} returned in this thread (a copy, a look-alike, or a type defined only in another thread)`,
  );
}

const clip = (text: string): string => (text.length <= QUOTE_LIMIT ? text : `${text.slice(0, QUOTE_LIMIT)}…`);

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
  Object.defineProperty(type, BRAND, { value: role });
  byId.set(id, type as RecordType);
  return type;
}

function buildRecord<F extends PayloadFields>(role: 'event' | 'message', name: string, id: number, fields: F): RecordType<F> {
  const entries = Object.entries(fields);
  for (const [key, type] of entries) {
    if (!Object.hasOwn(LANES, type)) throw new ActorError('ACTOR_SCHEMA_INVALID', `${role} ${name}: field ${key} has unknown type ${describeValue(type)}`);
  }
  const offsets: number[] = [];
  let lanes = 0;
  for (const [, type] of entries) {
    offsets.push(lanes);
    lanes += LANES[type];
  }
  const record: RecordType<F> = {
    role,
    name,
    id,
    routing: 0,
    fields,
    lanes,
    encode: compileEncoder(entries, offsets, payloadFailure(role, name)) as RecordType<F>['encode'],
    decode: compilePayloadDecoder(entries, offsets) as RecordType<F>['decode'],
    decodeMessage: undefined as never,
  };
  // The decoders are compiled once per type: an object literal of fixed shape, one property per
  // field, instead of a loop adding properties by name (a dictionary-shaped object per message).
  record.decodeMessage = compileMessageDecoder(entries, offsets, record) as RecordType<F>['decodeMessage'];
  return record;
}
