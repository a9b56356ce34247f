/**
 * Vector views over interleaved columns (x, y, z, x, y, z, …). `entity.position` is one of these:
 * reading or writing it touches the column in shared memory directly, nothing is copied.
 *
 * Views are small classes with fixed shapes: the hot path of every handler goes through them. A
 * program that mixes f64 and f32 vector fields makes their element loads polymorphic (two
 * elements kinds); one that uses one precision stays monomorphic.
 */
import type { Cursor } from './cursor.js';

/** Anything with x, y and z (a view, or a plain object). */
export interface Vec3Like {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export interface Vec2Like {
  readonly x: number;
  readonly y: number;
}

const EMPTY64 = new Float64Array(0);
const EMPTY32 = new Float32Array(0);

/** A live view of one actor's vec3 field. */
export class Vec3 {
  /** The current page's column; set by the runner when it moves to a page. */
  a: Float64Array | Float32Array;
  constructor(
    readonly c: Cursor,
    f32: boolean,
  ) {
    this.a = f32 ? EMPTY32 : EMPTY64;
  }
  get x(): number {
    return this.a[this.c.o * 3]!;
  }
  set x(v: number) {
    this.a[this.c.o * 3] = v;
  }
  get y(): number {
    return this.a[this.c.o * 3 + 1]!;
  }
  set y(v: number) {
    this.a[this.c.o * 3 + 1] = v;
  }
  get z(): number {
    return this.a[this.c.o * 3 + 2]!;
  }
  set z(v: number) {
    this.a[this.c.o * 3 + 2] = v;
  }
  set(x: number, y: number, z: number): this {
    const a = this.a;
    const i = this.c.o * 3;
    a[i] = x;
    a[i + 1] = y;
    a[i + 2] = z;
    return this;
  }
  copy(v: Vec3Like): this {
    return this.set(v.x, v.y, v.z);
  }
  /** this += v × s, in place (the brief's `position += velocity × dt`). */
  addScaled(v: Vec3Like, s: number): this {
    const a = this.a;
    const i = this.c.o * 3;
    if (v instanceof Vec3) {
      const b = v.a;
      const j = v.c.o * 3;
      a[i] = a[i]! + b[j]! * s;
      a[i + 1] = a[i + 1]! + b[j + 1]! * s;
      a[i + 2] = a[i + 2]! + b[j + 2]! * s;
    } else {
      a[i] = a[i]! + v.x * s;
      a[i + 1] = a[i + 1]! + v.y * s;
      a[i + 2] = a[i + 2]! + v.z * s;
    }
    return this;
  }
  add(v: Vec3Like): this {
    return this.addScaled(v, 1);
  }
  sub(v: Vec3Like): this {
    return this.addScaled(v, -1);
  }
  scale(s: number): this {
    const a = this.a;
    const i = this.c.o * 3;
    a[i] = a[i]! * s;
    a[i + 1] = a[i + 1]! * s;
    a[i + 2] = a[i + 2]! * s;
    return this;
  }
  dot(v: Vec3Like): number {
    return this.x * v.x + this.y * v.y + this.z * v.z;
  }
  length(): number {
    return Math.sqrt(this.dot(this));
  }
  distanceTo(v: Vec3Like): number {
    const dx = this.x - v.x;
    const dy = this.y - v.y;
    const dz = this.z - v.z;
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }
  /** A plain copy, for keeping a value beyond the current actor. */
  toJSON(): { x: number; y: number; z: number } {
    return { x: this.x, y: this.y, z: this.z };
  }
}

/** A live view of one actor's vec2 field. */
export class Vec2 {
  a: Float64Array | Float32Array;
  constructor(
    readonly c: Cursor,
    f32: boolean,
  ) {
    this.a = f32 ? EMPTY32 : EMPTY64;
  }
  get x(): number {
    return this.a[this.c.o * 2]!;
  }
  set x(v: number) {
    this.a[this.c.o * 2] = v;
  }
  get y(): number {
    return this.a[this.c.o * 2 + 1]!;
  }
  set y(v: number) {
    this.a[this.c.o * 2 + 1] = v;
  }
  set(x: number, y: number): this {
    const i = this.c.o * 2;
    this.a[i] = x;
    this.a[i + 1] = y;
    return this;
  }
  addScaled(v: Vec2Like, s: number): this {
    return this.set(this.x + v.x * s, this.y + v.y * s);
  }
  length(): number {
    return Math.hypot(this.x, this.y);
  }
  toJSON(): { x: number; y: number } {
    return { x: this.x, y: this.y };
  }
}

/** A live view of one actor's quaternion field (x, y, z, w). */
export class Quat {
  a: Float64Array | Float32Array;
  constructor(
    readonly c: Cursor,
    f32: boolean,
  ) {
    this.a = f32 ? EMPTY32 : EMPTY64;
  }
  get x(): number {
    return this.a[this.c.o * 4]!;
  }
  get y(): number {
    return this.a[this.c.o * 4 + 1]!;
  }
  get z(): number {
    return this.a[this.c.o * 4 + 2]!;
  }
  get w(): number {
    return this.a[this.c.o * 4 + 3]!;
  }
  set(x: number, y: number, z: number, w: number): this {
    const i = this.c.o * 4;
    const a = this.a;
    a[i] = x;
    a[i + 1] = y;
    a[i + 2] = z;
    a[i + 3] = w;
    return this;
  }
  /** this = this × q (Hamilton product), then renormalised so drift does not accumulate. */
  multiply(q: { x: number; y: number; z: number; w: number }): this {
    const { x, y, z, w } = this;
    const nx = w * q.x + x * q.w + y * q.z - z * q.y;
    const ny = w * q.y - x * q.z + y * q.w + z * q.x;
    const nz = w * q.z + x * q.y - y * q.x + z * q.w;
    const nw = w * q.w - x * q.x - y * q.y - z * q.z;
    const n = Math.hypot(nx, ny, nz, nw) || 1;
    return this.set(nx / n, ny / n, nz / n, nw / n);
  }
  toJSON(): { x: number; y: number; z: number; w: number } {
    return { x: this.x, y: this.y, z: this.z, w: this.w };
  }
}
