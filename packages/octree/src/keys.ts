/**
 * Octant keys for splitting: the path of a point through the next KEY_LEVELS halvings of a leaf's
 * box, as a 30-bit Morton code (3 bits per level, x = bit 0, y = bit 1, z = bit 2). A cascade of
 * splits in one `rebalance()` computes a leaf's keys once (one pass over its points' positions) and
 * carries them along as the points are partitioned, instead of reading every position again at
 * every level.
 *
 * Quantising `(x − lo) / (hi − lo)` can disagree with the exact test `x ≥ lo/2 + hi/2` that defines
 * the child boxes when x sits within rounding error of a boundary; such points (closer to a grid
 * line than 16 ulps of the box's coordinates, plus 1e-9 of a step) take the exact path, which
 * halves the box like `split`.
 */

/** Levels one key covers. */
export const KEY_LEVELS = 10;
const GRID = 1 << KEY_LEVELS;

/** spread[i] = the 10 bits of i moved to every third bit. */
export const spread = new Int32Array(GRID);
for (let i = 0; i < GRID; i++) {
  let s = 0;
  for (let b = 0; b < KEY_LEVELS; b++) s |= ((i >> b) & 1) << (3 * b);
  spread[i] = s;
}

/** Octant of a key at relative level `r` (0 = the leaf the keys were computed for). */
export const octantAt = (key: number, r: number): number => (key >> (3 * (KEY_LEVELS - 1 - r))) & 7;

/** Exact key: the same halvings `split` performs. */
export function exactKey(x: number, y: number, z: number, box: Float64Array, b: number): number {
  let lx = box[b]!, ly = box[b + 1]!, lz = box[b + 2]!;
  let hx = box[b + 3]!, hy = box[b + 4]!, hz = box[b + 5]!;
  let key = 0;
  for (let level = 0; level < KEY_LEVELS; level++) {
    const mx = lx / 2 + hx / 2, my = ly / 2 + hy / 2, mz = lz / 2 + hz / 2;
    let o = 0;
    if (x >= mx) (o |= 1), (lx = mx);
    else hx = mx;
    if (y >= my) (o |= 2), (ly = my);
    else hy = my;
    if (z >= mz) (o |= 4), (lz = mz);
    else hz = mz;
    key = (key << 3) | o;
  }
  return key;
}

function quantise(u: number, near: number): number {
  const q = Math.floor(u);
  const f = u - q;
  if (f < near || f > 1 - near || q < 0 || q >= GRID) return -1;
  return q;
}

/** Rounding margin, in grid steps, for an axis [lo, hi) scaled by `scale`. */
export const margin = (lo: number, hi: number, scale: number): number => 16 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi)) * scale + 1e-9;

/**
 * Writes the keys of the `count` points in item slots `start..` (positions at `xyz[3·start..]`) into
 * `keys[start..]`, relative to the box of node `node`.
 */
export function computeKeys(
  xyz: Float64Array,
  keys: Int32Array,
  start: number,
  count: number,
  box: Float64Array,
  node: number,
): void {
  const b = node * 6;
  const lx = box[b]!, ly = box[b + 1]!, lz = box[b + 2]!;
  const sx = GRID / (box[b + 3]! - lx), sy = GRID / (box[b + 4]! - ly), sz = GRID / (box[b + 5]! - lz);
  const nx = margin(lx, box[b + 3]!, sx), ny = margin(ly, box[b + 4]!, sy), nz = margin(lz, box[b + 5]!, sz);
  for (let k = start; k < start + count; k++) {
    const p = k * 3;
    const x = xyz[p]!, y = xyz[p + 1]!, z = xyz[p + 2]!;
    const qx = quantise((x - lx) * sx, nx), qy = quantise((y - ly) * sy, ny), qz = quantise((z - lz) * sz, nz);
    keys[k] = qx < 0 || qy < 0 || qz < 0 ? exactKey(x, y, z, box, b) : spread[qx]! | (spread[qy]! << 1) | (spread[qz]! << 2);
  }
}
