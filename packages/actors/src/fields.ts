/**
 * Field types of an actor schema. A field is a fixed number of lanes of one numeric element type,
 * so a kind's storage is a set of typed-array columns with no object per actor.
 */
export type ElementType = 'f64' | 'f32' | 'i32' | 'u32' | 'u8';

/** What a field holds; decides its accessor (a number, a boolean, a vector view, a ref, an enum name). */
export type FieldKind = 'number' | 'bool' | 'vec2' | 'vec3' | 'quat' | 'ref' | 'enum';

export interface FieldSpec<K extends FieldKind = FieldKind> {
  readonly kind: K;
  readonly element: ElementType;
  /** Lanes per actor: 1 for scalars, 2/3/4 for vectors and quaternions. */
  readonly lanes: number;
  /** Initial lane values of a spawned actor. */
  readonly initial: readonly number[];
  /** Names of an enum's values, in storage order. */
  readonly values?: readonly string[];
}

export type Schema = Readonly<Record<string, FieldSpec>>;

/** Bytes per element of each element type. */
export const ELEMENT_BYTES: Readonly<Record<ElementType, number>> = { f64: 8, f32: 4, i32: 4, u32: 4, u8: 1 };

const scalar = (element: ElementType, initial: number): FieldSpec<'number'> => ({ kind: 'number', element, lanes: 1, initial: [initial] });
const vector = <K extends 'vec2' | 'vec3' | 'quat'>(kind: K, lanes: number, precision: 'f64' | 'f32', initial: readonly number[]): FieldSpec<K> => ({
  kind,
  element: precision,
  lanes,
  initial,
});

interface VectorOptions {
  /** `f32` halves the bytes per actor where the precision is enough (memory-bound loops gain). */
  readonly precision?: 'f64' | 'f32';
}

/** Field constructors for `Actor({ … })` schemas. */
export const field = {
  f64: (initial = 0) => scalar('f64', initial),
  f32: (initial = 0) => scalar('f32', initial),
  i32: (initial = 0) => scalar('i32', initial),
  u32: (initial = 0) => scalar('u32', initial),
  bool: (initial = false): FieldSpec<'bool'> => ({ kind: 'bool', element: 'u8', lanes: 1, initial: [initial ? 1 : 0] }),
  vec2: (options: VectorOptions = {}) => vector('vec2', 2, options.precision ?? 'f64', [0, 0]),
  vec3: (options: VectorOptions = {}) => vector('vec3', 3, options.precision ?? 'f64', [0, 0, 0]),
  /** A rotation quaternion (x, y, z, w), initially the identity. */
  quat: (options: VectorOptions = {}) => vector('quat', 4, options.precision ?? 'f64', [0, 0, 0, 1]),
  /** A reference to another actor (`ActorRef`), initially `NO_ACTOR`. */
  ref: (): FieldSpec<'ref'> => ({ kind: 'ref', element: 'f64', lanes: 1, initial: [-1] }),
  /** One of a fixed list of names, stored as its index. */
  enum: <const V extends readonly string[]>(values: V, initial: V[number] = values[0] as V[number]): FieldSpec<'enum'> & { values: V } => {
    const index = values.indexOf(initial);
    return { kind: 'enum', element: values.length <= 256 ? 'u8' : 'u32', lanes: 1, initial: [index < 0 ? 0 : index], values };
  },
};
