/**
 * `Actor({ …fields })` makes the base class of an actor kind. An instance is a flyweight: the
 * runner creates one per thread and moves its cursor from actor to actor, so `this.position` is a
 * view onto the columns of whichever actor is current, and no object exists per actor.
 *
 * ```ts
 * class GameEntity extends Actor({ position: field.vec3(), velocity: field.vec3() }) {
 *   handle(_tick: Tick, ctx: Context) {
 *     this.position.addScaled(this.velocity, ctx.delta());
 *     ctx.emit(PositionChanged, this.position);
 *   }
 * }
 * ```
 */
import { Cursor } from './cursor.js';
import { ActorError } from './errors.js';
import type { FieldSpec, Schema } from './fields.js';
import { DEFAULT_PAGE_SIZE, layoutOf, type ColumnArray, type PageLayout } from './layout.js';
import type { ActorRef } from './ref.js';
import { Quat, Vec2, Vec3 } from './vectors.js';

/** Symbol keys keep the flyweight's machinery out of the user's field namespace. */
export const CURSOR: unique symbol = Symbol('concurrengine.cursor');
export const COLUMNS: unique symbol = Symbol('concurrengine.columns');

/** The value type a field shows on an instance. */
export type FieldValue<F extends FieldSpec> = F['kind'] extends 'vec3'
  ? Vec3
  : F['kind'] extends 'vec2'
    ? Vec2
    : F['kind'] extends 'quat'
      ? Quat
      : F['kind'] extends 'bool'
        ? boolean
        : F['kind'] extends 'ref'
          ? ActorRef
          : F['kind'] extends 'enum'
            ? F extends { readonly values: readonly (infer V)[] }
              ? V
              : string
            : number;

type VectorKeys<S extends Schema> = { [K in keyof S]: S[K]['kind'] extends 'vec2' | 'vec3' | 'quat' ? K : never }[keyof S];

/** The fields of a schema as instance properties: vectors are views (not reassignable), scalars read and write. */
export type Fields<S extends Schema> = { readonly [K in VectorKeys<S>]: FieldValue<S[K]> } & {
  -readonly [K in Exclude<keyof S, VectorKeys<S>>]: FieldValue<S[K]>;
};

/** The flyweight machinery every actor instance carries. */
export interface ActorInstance {
  readonly [CURSOR]: Cursor;
  readonly [COLUMNS]: ColumnArray[];
}

/** The base class returned by `Actor(schema)`; its statics describe the kind's storage. */
export interface ActorBase<S extends Schema> {
  new (): ActorInstance & Fields<S>;
  readonly schema: S;
  readonly layout: PageLayout;
}

/** Any class derived from an `Actor(...)` base. */
export interface ActorKind<S extends Schema = Schema, I extends ActorInstance = ActorInstance> {
  new (): I;
  readonly schema: S;
  readonly layout: PageLayout;
  readonly name: string;
}

export interface ActorOptions {
  /** Actors per page (a power of two); default 4096. */
  readonly pageSize?: number;
}

/** Makes the base class of an actor kind with the given fields. */
export function Actor<const S extends Schema>(schema: S, options: ActorOptions = {}): ActorBase<S> {
  const layout = layoutOf(schema, options.pageSize ?? DEFAULT_PAGE_SIZE);
  const vectorColumns = layout.columns.map((c, k) => ({ k, c })).filter(({ c }) => isVector(c.spec));

  class ActorFlyweight implements ActorInstance {
    static readonly schema = schema;
    static readonly layout = layout;
    readonly [CURSOR] = new Cursor();
    readonly [COLUMNS]: ColumnArray[] = layout.columns.map(() => new Float64Array(0));
    constructor() {
      const views = this as unknown as Record<string, Vec2 | Vec3 | Quat>;
      for (const { k, c } of vectorColumns) {
        const view = makeView(c.spec, this[CURSOR]);
        views[c.name] = view;
        // The view reads the column array through itself; the columns list keeps it for rebinding.
        this[COLUMNS][k] = view.a;
      }
    }
  }
  layout.columns.forEach((column, k) => {
    if (isVector(column.spec)) return;
    Object.defineProperty(ActorFlyweight.prototype, column.name, scalarAccessor(column.spec, k));
  });
  return ActorFlyweight as unknown as ActorBase<S>;
}

function isVector(spec: FieldSpec): boolean {
  return spec.kind === 'vec2' || spec.kind === 'vec3' || spec.kind === 'quat';
}

function makeView(spec: FieldSpec, cursor: Cursor): Vec2 | Vec3 | Quat {
  const f32 = spec.element === 'f32';
  if (spec.kind === 'vec3') return new Vec3(cursor, f32);
  if (spec.kind === 'vec2') return new Vec2(cursor, f32);
  return new Quat(cursor, f32);
}

type Flyweight = ActorInstance & object;

function scalarAccessor(spec: FieldSpec, k: number): PropertyDescriptor {
  if (spec.kind === 'bool') {
    return {
      get(this: Flyweight) {
        return this[COLUMNS][k]![this[CURSOR].o] !== 0;
      },
      set(this: Flyweight, v: boolean) {
        this[COLUMNS][k]![this[CURSOR].o] = v ? 1 : 0;
      },
    };
  }
  if (spec.kind === 'enum') {
    const values = spec.values ?? [];
    return {
      get(this: Flyweight) {
        return values[this[COLUMNS][k]![this[CURSOR].o]!];
      },
      set(this: Flyweight, v: string) {
        const index = values.indexOf(v);
        if (index < 0) throw new ActorError('ACTOR_FIELD_TYPE', `enum value ${JSON.stringify(v)} is not one of ${values.join(', ')}`);
        this[COLUMNS][k]![this[CURSOR].o] = index;
      },
    };
  }
  return {
    get(this: Flyweight) {
      return this[COLUMNS][k]![this[CURSOR].o];
    },
    set(this: Flyweight, v: number) {
      this[COLUMNS][k]![this[CURSOR].o] = v;
    },
  };
}

/** Points a flyweight at one page's columns (the runner calls this once per page, not per actor). */
export function bindPage(instance: ActorInstance, columns: readonly ColumnArray[]): void {
  const own = instance[COLUMNS];
  const views = instance as unknown as Record<string, { a: ColumnArray } | undefined>;
  for (let k = 0; k < columns.length; k++) own[k] = columns[k]!;
  const layout = (instance.constructor as ActorKind).layout;
  for (let k = 0; k < layout.columns.length; k++) {
    const column = layout.columns[k]!;
    if (isVector(column.spec)) views[column.name]!.a = columns[k]!;
  }
}
