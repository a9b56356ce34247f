/**
 * The octree's one error class and its codes (STYLE.md §4). Every code is a broken contract:
 * expected outcomes (a query with no hits, `remove` of an absent id) are return values.
 */

/** Every code an `OctreeError` can carry; the README lists what each means. */
export type OctreeErrorCode =
  | 'OCTREE_INVALID_ARGUMENT'
  | 'OCTREE_OUT_OF_BOUNDS'
  | 'OCTREE_DUPLICATE_ID'
  | 'OCTREE_UNKNOWN_ID'
  | 'OCTREE_BAD_BUFFER';

/** An error raised by the octree; `code` says which contract was broken. */
export class OctreeError extends Error {
  override readonly name = 'OctreeError';
  constructor(
    readonly code: OctreeErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Narrows an unknown value to an `OctreeError` (optionally of one code). */
export function isOctreeError(value: unknown, code?: OctreeErrorCode): value is OctreeError {
  return value instanceof OctreeError && (code === undefined || value.code === code);
}
