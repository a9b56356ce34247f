/**
 * Partitions for the dashboard's heat map when the engine has no octree (the `adaptive-octree`
 * spatial strategy reports its leaves instead, see octreeIndex.ts): the cells
 * of a 16 × 16 grid over the x–z extent (the plane the dashboard projects on) of a strided sample of at most 4096 positions, each
 * counted and scaled to the kind's population. Cheap enough for every heat-map frame (a few
 * thousand reads), and honest about what it is: a density estimate, not the scheduler's units.
 */
import type { KindStore } from '@concurrengine/actors';
import type { PartitionStats } from '@concurrengine/telemetry';

const SIDE = 16;
const SAMPLE = 4096;

export function samplePartitions(stores: readonly KindStore[]): PartitionStats[] {
  const xs: number[] = [];
  const ys: number[] = [];
  const zs: number[] = [];
  const weights: number[] = [];
  for (const store of stores) {
    const column = store.layout.columns.findIndex((c) => c.name === 'position' && c.spec.kind === 'vec3');
    if (column < 0 || store.liveCount === 0) continue;
    const stride = Math.max(1, Math.floor(store.highWater / SAMPLE));
    const start = xs.length;
    for (let slot = 0; slot < store.highWater; slot += stride) {
      const page = store.page(Math.floor(slot / store.layout.pageSize));
      const o = slot % store.layout.pageSize;
      if (page.alive[o] !== 1) continue;
      const p = page.columns[column]!;
      xs.push(p[o * 3]!);
      ys.push(p[o * 3 + 1]!);
      zs.push(p[o * 3 + 2]!);
    }
    const weight = store.liveCount / Math.max(1, xs.length - start);
    for (let i = start; i < xs.length; i++) weights.push(weight);
  }
  if (xs.length === 0) return [];
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys);
  const [z0, z1] = extent(zs);
  const w = (x1 - x0) / SIDE || 1;
  const d = (z1 - z0) / SIDE || 1;
  const load = new Float64Array(SIDE * SIDE);
  for (let i = 0; i < xs.length; i++) {
    const cx = Math.min(SIDE - 1, Math.floor((xs[i]! - x0) / w));
    const cz = Math.min(SIDE - 1, Math.floor((zs[i]! - z0) / d));
    load[cz * SIDE + cx]! += weights[i]!;
  }
  const out: PartitionStats[] = [];
  load.forEach((actors, id) => {
    if (actors === 0) return;
    const cx = id % SIDE;
    const cz = Math.floor(id / SIDE);
    out.push({ id, actors: Math.round(actors), heat: actors, min: [x0 + cx * w, y0, z0 + cz * d], max: [x0 + (cx + 1) * w, y1, z0 + (cz + 1) * d] });
  });
  return out;
}

function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
