/**
 * The byte layout of one page of a kind: every field's column for `pageSize` actors, then the
 * hidden `alive` and `generation` columns. A page is the unit that copy-on-write copies (one frame
 * of the kind's buffer, see frameTable.ts), that a snapshot stores and that a job covers.
 */
import { ActorError } from './errors.js';
import { ELEMENT_BYTES, type ElementType, type FieldSpec, type Schema } from './fields.js';

/** Bumped whenever the page layout changes, so stored pages of another layout are refused. */
export const LAYOUT_VERSION = 2;

/** Default actors per page: 4096 GameEntity actors are 192 KiB, fine-grained enough for stealing and copy-on-write. */
export const DEFAULT_PAGE_SIZE = 4096;

export interface ColumnLayout {
  readonly name: string;
  readonly spec: FieldSpec;
  readonly byteOffset: number;
  /** Elements of the column in one page: pageSize × lanes. */
  readonly length: number;
}

export interface PageLayout {
  readonly version: number;
  readonly pageSize: number;
  readonly columns: readonly ColumnLayout[];
  /** Hidden Int32 column: the handle (the stable part of a ref) of the actor in each slot. */
  readonly handleOffset: number;
  readonly aliveOffset: number;
  readonly generationOffset: number;
  readonly pageBytes: number;
  /** Bytes of state per actor, hidden columns included. */
  readonly bytesPerActor: number;
}

const align = (n: number, to: number) => Math.ceil(n / to) * to;

/** Lays out a schema; throws `ACTOR_SCHEMA_INVALID` on a bad page size, field name or spec. */
export function layoutOf(schema: Schema, pageSize = DEFAULT_PAGE_SIZE): PageLayout {
  if (!Number.isInteger(pageSize) || pageSize < 1 || (pageSize & (pageSize - 1)) !== 0) {
    throw new ActorError('ACTOR_SCHEMA_INVALID', `page size must be a power of two ≥ 1, got ${pageSize}`);
  }
  let offset = 0;
  const columns: ColumnLayout[] = [];
  // Widest elements first keeps every column naturally aligned without padding between them.
  const ordered = Object.entries(schema).sort(([, a], [, b]) => ELEMENT_BYTES[b.element] - ELEMENT_BYTES[a.element]);
  for (const [name, spec] of ordered) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new ActorError('ACTOR_SCHEMA_INVALID', `field name ${JSON.stringify(name)} is not an identifier`);
    if (!spec || !(spec.element in ELEMENT_BYTES) || !(spec.lanes >= 1)) {
      throw new ActorError('ACTOR_SCHEMA_INVALID', `field ${name} is not a field spec (use field.f64(), field.vec3(), …)`);
    }
    const bytes = ELEMENT_BYTES[spec.element];
    offset = align(offset, bytes);
    columns.push({ name, spec, byteOffset: offset, length: pageSize * spec.lanes });
    offset += pageSize * spec.lanes * bytes;
  }
  const handleOffset = align(offset, 4);
  const aliveOffset = handleOffset + pageSize * 4;
  const generationOffset = align(aliveOffset + pageSize, 2);
  const pageBytes = align(generationOffset + pageSize * 2, 8);
  return { version: LAYOUT_VERSION, pageSize, columns, handleOffset, aliveOffset, generationOffset, pageBytes, bytesPerActor: pageBytes / pageSize };
}

export type ColumnArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;

/** A typed-array view of one column of one page. */
export function columnView(buffer: ArrayBufferLike, column: ColumnLayout): ColumnArray {
  return viewOf(column.spec.element, buffer, column.byteOffset, column.length);
}

function viewOf(element: ElementType, buffer: ArrayBufferLike, byteOffset: number, length: number): ColumnArray {
  switch (element) {
    case 'f64':
      return new Float64Array(buffer, byteOffset, length);
    case 'f32':
      return new Float32Array(buffer, byteOffset, length);
    case 'i32':
      return new Int32Array(buffer, byteOffset, length);
    case 'u32':
      return new Uint32Array(buffer, byteOffset, length);
    case 'u8':
      return new Uint8Array(buffer, byteOffset, length);
  }
}
