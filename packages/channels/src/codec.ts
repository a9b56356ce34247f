/**
 * The record codec of the cross-thread channel: each record type is a fixed set of named numeric
 * fields, stored in a fixed-size slot as `[typeId:i32][ring seq:i32][f64 fields…][i32/u32/f32 fields…]`
 * (the ring owns bytes 4..7 of every slot).
 * Messages are plain objects `{ type: 'name', field: number, … }`.
 *
 * The encoder and decoder are generated once per codec (`new Function`) so each field access is
 * a constant-key property access in one monomorphic function — a loop over field names is several
 * times slower here (BENCHMARKS.md: keep call sites monomorphic). Names are validated as
 * identifiers and embedded with JSON.stringify, so nothing from the schema runs as code.
 */
import { ChannelError } from './errors.js';

/** A field's storage: 32-bit signed/unsigned integers, or 32/64-bit floats. */
export type FieldKind = 'i32' | 'u32' | 'f32' | 'f64';

/** Record type name → field name → kind. Key order fixes the type ids (1, 2, …). */
export type RecordSchema = Readonly<Record<string, Readonly<Record<string, FieldKind>>>>;

/** The message type a schema describes: a union of `{ type, …fields }` objects. */
export type RecordOf<S extends RecordSchema> = {
  [K in keyof S & string]: { readonly type: K } & { readonly [F in keyof S[K]]: number };
}[keyof S & string];

/** Encoder/decoder for one schema; share the same schema in every thread. */
export interface RecordCodec<S extends RecordSchema> {
  readonly schema: S;
  /** Bytes of the largest record (a multiple of 8). */
  readonly recordBytes: number;
  /** Stable fingerprint of the schema; attaching with a different codec is refused. */
  readonly hash: number;
  /** Bytes each record type needs, by type name. */
  readonly sizes: Readonly<Record<string, number>>;
  /** Writes `message` at byte `offset` of `views`; returns its type id, or throws a ChannelError. */
  encode(message: RecordOf<S>, views: RecordViews, offset: number, slotBytes: number): number;
  /**
   * Checks the record type and size before a slot is reserved: throws CHANNEL_UNKNOWN_RECORD_TYPE
   * or CHANNEL_RECORD_TOO_LARGE. Field values are checked by `encode`.
   */
  check(message: RecordOf<S>, slotBytes: number): void;
  /** Reads the record at byte `offset`; throws CHANNEL_RECORD_INVALID on an unknown type id. */
  decode(views: RecordViews, offset: number): RecordOf<S>;
  /**
   * Like `decode`, but overwrites and returns one of `scratch`'s objects (one per record type,
   * from `createScratch`) instead of allocating: the receiver's `drain` uses it, which is why
   * `drain`'s message is only valid until `fn` returns.
   */
  decodeInto(views: RecordViews, offset: number, scratch: RecordScratch): RecordOf<S>;
  /** Fresh reusable objects for `decodeInto`, one per record type. */
  createScratch(): RecordScratch;
}

/** Reusable decode targets (opaque: made by `createScratch`, read by `decodeInto`). */
export type RecordScratch = readonly object[];

/** Typed views over one buffer, shared by the codec and the ring. */
export interface RecordViews {
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
}

/** Views over the whole of `buffer`. */
export function recordViews(buffer: ArrayBufferLike): RecordViews {
  return { i32: new Int32Array(buffer), u32: new Uint32Array(buffer), f32: new Float32Array(buffer), f64: new Float64Array(buffer) };
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const KINDS: readonly FieldKind[] = ['i32', 'u32', 'f32', 'f64'];

interface Layout {
  readonly fields: readonly { readonly name: string; readonly kind: FieldKind; readonly byte: number }[];
  readonly bytes: number;
}

function layoutOf(typeName: string, fields: Readonly<Record<string, FieldKind>>): Layout {
  const entries = Object.entries(fields);
  for (const [name, kind] of entries) {
    if (!IDENT.test(name) || name === 'type') {
      throw new ChannelError('CHANNEL_INVALID_CODEC', `record ${typeName}: field name ${JSON.stringify(name)} must be an identifier other than "type"`);
    }
    if (!KINDS.includes(kind)) {
      throw new ChannelError('CHANNEL_INVALID_CODEC', `record ${typeName}.${name}: kind ${JSON.stringify(kind)}; expected one of ${KINDS.join(', ')}`);
    }
  }
  const wide = entries.filter(([, k]) => k === 'f64');
  const narrow = entries.filter(([, k]) => k !== 'f64');
  let byte = 8;
  const out: { name: string; kind: FieldKind; byte: number }[] = [];
  for (const [name, kind] of wide) out.push({ name, kind, byte: (byte += 8) - 8 });
  for (const [name, kind] of narrow) out.push({ name, kind, byte: (byte += 4) - 4 });
  return { fields: out, bytes: Math.ceil(byte / 8) * 8 };
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

const VIEW: Record<FieldKind, { view: string; shift: number }> = {
  i32: { view: 'v.i32', shift: 2 },
  u32: { view: 'v.u32', shift: 2 },
  f32: { view: 'v.f32', shift: 2 },
  f64: { view: 'v.f64', shift: 3 },
};

// What each kind accepts; a failed check names the field (see `invalid` below).
const CHECK: Record<FieldKind, (x: string) => string> = {
  i32: (x) => `(${x} | 0) !== ${x}`,
  u32: (x) => `(${x} >>> 0) !== ${x}`,
  f32: (x) => `typeof ${x} !== "number"`,
  f64: (x) => `typeof ${x} !== "number"`,
};

/**
 * Defines a codec. Throws CHANNEL_INVALID_CODEC for a bad type or field name or kind.
 * Type ids follow the schema's key order, so every thread must build it from the same schema.
 */
export function defineRecordCodec<const S extends RecordSchema>(schema: S): RecordCodec<S> {
  const types = Object.keys(schema);
  if (types.length === 0) throw new ChannelError('CHANNEL_INVALID_CODEC', 'a record schema needs at least one record type');
  const layouts = types.map((name) => {
    if (!IDENT.test(name)) throw new ChannelError('CHANNEL_INVALID_CODEC', `record type name ${JSON.stringify(name)} must be an identifier`);
    return layoutOf(name, schema[name]!);
  });
  const sizes: Record<string, number> = {};
  types.forEach((name, i) => (sizes[name] = layouts[i]!.bytes));
  const enc: string[] = ['switch (m.type) {'];
  const dec: string[] = ['switch (v.i32[o >> 2]) {'];
  const chk: string[] = ['switch (m.type) {'];
  const into: string[] = ['switch (v.i32[o >> 2]) {'];
  const fresh: string[] = [];
  types.forEach((name, i) => {
    const layout = layouts[i]!;
    const lit = JSON.stringify(name);
    enc.push(`case ${lit}: {`);
    chk.push(`case ${lit}: if (${layout.bytes} > slot) tooLarge(${lit}, ${layout.bytes}, slot); return;`);
    for (const f of layout.fields) {
      enc.push(`const ${f.name} = m[${JSON.stringify(f.name)}];`, `if (${CHECK[f.kind](f.name)}) invalid(${lit}, ${JSON.stringify(f.name)}, "${f.kind}", ${f.name});`);
    }
    enc.push(`v.i32[o >> 2] = ${i + 1};`);
    for (const f of layout.fields) enc.push(`${VIEW[f.kind].view}[(o + ${f.byte}) >> ${VIEW[f.kind].shift}] = ${f.name};`);
    enc.push(`return ${i + 1}; }`);
    const props = layout.fields.map((f) => `${JSON.stringify(f.name)}: ${VIEW[f.kind].view}[(o + ${f.byte}) >> ${VIEW[f.kind].shift}]`);
    dec.push(`case ${i + 1}: return { type: ${lit}${props.map((p) => `, ${p}`).join('')} };`);
    into.push(`case ${i + 1}: { const r = s[${i}];`);
    for (const f of layout.fields) into.push(`r[${JSON.stringify(f.name)}] = ${VIEW[f.kind].view}[(o + ${f.byte}) >> ${VIEW[f.kind].shift}];`);
    into.push('return r; }');
    fresh.push(`{ type: ${lit}${layout.fields.map((f) => `, ${JSON.stringify(f.name)}: 0`).join('')} }`);
  });
  enc.push('default: unknown(m); }');
  dec.push('default: corrupt(v.i32[o >> 2], o); }');
  into.push('default: corrupt(v.i32[o >> 2], o); }');
  chk.push('default: unknown(m); }');
  const helpers = {
    tooLarge: (type: string, need: number, slot: number): never => {
      throw new ChannelError('CHANNEL_RECORD_TOO_LARGE', `record ${type} needs ${need} bytes; the channel's slots hold ${slot}`);
    },
    invalid: (type: string, field: string, kind: string, value: unknown): never => {
      throw new ChannelError('CHANNEL_RECORD_INVALID', `record ${type}.${field} = ${String(value)} does not fit ${kind}`);
    },
    unknown: (m: unknown): never => {
      const type = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
      throw new ChannelError('CHANNEL_UNKNOWN_RECORD_TYPE', `unknown record type ${JSON.stringify(type)}; expected one of ${types.join(', ')}`);
    },
    corrupt: (id: number, offset: number): never => {
      throw new ChannelError('CHANNEL_RECORD_INVALID', `record at byte ${offset} has type id ${id}; expected 1..${types.length}`);
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated once per codec, see the file comment.
  const encode = new Function('h', `const { invalid, unknown } = h; return function encode(m, v, o, slot) { ${enc.join('\n')} };`)(helpers) as RecordCodec<S>['encode'];
  const check = new Function('h', `const { tooLarge, unknown } = h; return function check(m, slot) { ${chk.join('\n')} };`)(helpers) as RecordCodec<S>['check'];
  const decode = new Function('h', `const { corrupt } = h; return function decode(v, o) { ${dec.join('\n')} };`)(helpers) as RecordCodec<S>['decode'];
  const decodeInto = new Function('h', `const { corrupt } = h; return function decodeInto(v, o, s) { ${into.join('\n')} };`)(helpers) as RecordCodec<S>['decodeInto'];
  const createScratch = new Function(`return function createScratch() { return [${fresh.join(', ')}]; };`)() as RecordCodec<S>['createScratch'];
  return {
    schema,
    recordBytes: Math.max(...layouts.map((l) => l.bytes)),
    hash: fnv1a(JSON.stringify(types.map((name) => [name, Object.entries(schema[name]!)]))),
    sizes,
    check,
    encode,
    decode,
    decodeInto,
    createScratch,
  };
}
