/**
 * Where `update` reads positions from: one flat array by id, or the caller's storage as it is —
 * equal chunks, so a caller whose positions live in pages (the engine's actor pages) need not copy
 * every position into one array first (measured: that gather was 11 of the engine's 19 ms of
 * index work a tick at 1M). A flat array is one chunk that spans every id, so both go through
 * the same loops.
 */
import { OctreeError } from './errors.js';

/** Point `id`'s x, y, z at `chunks[id >> shift][3·(id & (2^shift − 1)) ..]`. */
export interface ChunkedPositions {
  readonly chunks: readonly Float64Array[];
  /** log2 of the points per chunk (each chunk holds at least 3·2^shift numbers, or it is the last). */
  readonly shift: number;
}

/** A flat array as chunks: one chunk of 2^30 ids (more than any capacity allows). */
const FLAT_SHIFT = 30;

/** The chunked view of `positions`, and how many ids it has room for. */
export function positionChunks(positions: Float64Array | ChunkedPositions): { chunks: readonly Float64Array[]; shift: number; ids: number } {
  if (positions instanceof Float64Array) return { chunks: [positions], shift: FLAT_SHIFT, ids: Math.floor(positions.length / 3) };
  const { chunks, shift } = positions;
  if (!Number.isInteger(shift) || shift < 0 || shift > FLAT_SHIFT) throw new OctreeError('OCTREE_INVALID_ARGUMENT', `positions.shift must be an integer from 0 to ${FLAT_SHIFT}; got ${String(shift)}`);
  const per = 2 ** shift;
  let ids = 0;
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c];
    if (!(chunk instanceof Float64Array)) throw new OctreeError('OCTREE_INVALID_ARGUMENT', `positions.chunks[${c}] is not a Float64Array`);
    const held = Math.floor(chunk.length / 3);
    // A short chunk ends the ids the source covers (the last page of a store may be short).
    if (held < per) return { chunks, shift, ids: c * per + held };
    ids = (c + 1) * per;
  }
  return { chunks, shift, ids };
}
