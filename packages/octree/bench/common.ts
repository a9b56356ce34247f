/** Shared data and the uniform-grid peer of the octree benchmarks (not a bench file itself). */
import { createPrng } from '@concurrengine/bench-harness';

export const SEED = 20_250_101;
export const N = 1_000_000;
export const SIDE = 1000;
export const BOUNDS = { min: [0, 0, 0] as const, max: [SIDE, SIDE, SIDE] as const };
/** Leaves of at most 64 points (the engine's partitions would use larger ones; see README). */
export const SPLIT_ABOVE = 64;

/** N uniform random points in the world cube, x,y,z interleaved by id. */
export function randomPoints(seed = SEED, n = N): Float64Array {
  const prng = createPrng(seed);
  const out = new Float64Array(n * 3);
  for (let i = 0; i < out.length; i++) out[i] = prng.next() * SIDE;
  return out;
}

/** `count` query boxes whose side holds ~`hits` points on average. */
export function queryBoxes(count: number, hits: number, seed = SEED + 1): Float64Array {
  const prng = createPrng(seed);
  const side = SIDE * Math.cbrt(hits / N);
  const out = new Float64Array(count * 6);
  for (let q = 0; q < count; q++) {
    const x = prng.range(0, SIDE - side), y = prng.range(0, SIDE - side), z = prng.range(0, SIDE - side);
    out.set([x, y, z, x + side, y + side, z + side], q * 6);
  }
  return out;
}

/**
 * The peer "uniform grid, points copied into cell order": a counting sort of the points into
 * cubic cells, positions and ids copied in cell order, box queries scanning the covered cells.
 */
export class UniformGrid {
  readonly cells: number;
  readonly start: Int32Array;
  readonly ids: Int32Array;
  readonly xyz: Float64Array;
  private readonly scale: number;

  constructor(
    readonly cellSize: number,
    capacity: number,
  ) {
    this.cells = Math.ceil(SIDE / cellSize);
    this.scale = 1 / cellSize;
    this.start = new Int32Array(this.cells ** 3 + 1);
    this.ids = new Int32Array(capacity);
    this.xyz = new Float64Array(capacity * 3);
  }

  private cellOf(v: number): number {
    return Math.min(this.cells - 1, Math.floor(v * this.scale));
  }

  build(positions: Float64Array, n: number): void {
    const { cells, start, ids, xyz } = this;
    start.fill(0);
    const cellIds = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = (this.cellOf(positions[i * 3 + 2]!) * cells + this.cellOf(positions[i * 3 + 1]!)) * cells + this.cellOf(positions[i * 3]!);
      cellIds[i] = c;
      start[c + 1]!++;
    }
    for (let c = 0; c < cells ** 3; c++) start[c + 1]! += start[c]!;
    const fill = start.slice(0, cells ** 3);
    for (let i = 0; i < n; i++) {
      const at = fill[cellIds[i]!]!++;
      ids[at] = i;
      xyz[at * 3] = positions[i * 3]!;
      xyz[at * 3 + 1] = positions[i * 3 + 1]!;
      xyz[at * 3 + 2] = positions[i * 3 + 2]!;
    }
  }

  queryBoxInto(minX: number, minY: number, minZ: number, maxX: number, maxY: number, maxZ: number, out: Int32Array): number {
    const { cells, start, ids, xyz } = this;
    const x0 = this.cellOf(Math.max(0, minX)), x1 = this.cellOf(Math.min(SIDE, maxX));
    const y0 = this.cellOf(Math.max(0, minY)), y1 = this.cellOf(Math.min(SIDE, maxY));
    const z0 = this.cellOf(Math.max(0, minZ)), z1 = this.cellOf(Math.min(SIDE, maxZ));
    let found = 0;
    for (let cz = z0; cz <= z1; cz++) {
      for (let cy = y0; cy <= y1; cy++) {
        const row = (cz * cells + cy) * cells;
        // Cells x0..x1 of one row are contiguous in cell order: one run.
        const end = start[row + x1 + 1]!;
        for (let k = start[row + x0]!; k < end; k++) {
          const x = xyz[k * 3]!, y = xyz[k * 3 + 1]!, z = xyz[k * 3 + 2]!;
          if (x >= minX && x <= maxX && y >= minY && y <= maxY && z >= minZ && z <= maxZ) {
            if (found < out.length) out[found] = ids[k]!;
            found++;
          }
        }
      }
    }
    return found;
  }
}
