/** Brute-force model and invariant checks shared by the tests. */
import { expect } from 'vitest';

import type { Octree } from '../src/index.js';

export type Model = Map<number, readonly [number, number, number]>;

export const WORLD = { min: [0, 0, 0] as const, max: [100, 100, 100] as const };

/** Seed of this run's property tests: FC_SEED from the environment, else random; printed. */
export const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : (Math.random() * 2 ** 31) | 0;
console.log(`octree property tests: fast-check seed ${SEED} (rerun with FC_SEED=${SEED})`);

export function bruteBox(model: Model, minX: number, minY: number, minZ: number, maxX: number, maxY: number, maxZ: number): number[] {
  const out: number[] = [];
  for (const [id, [x, y, z]] of model) if (x >= minX && x <= maxX && y >= minY && y <= maxY && z >= minZ && z <= maxZ) out.push(id);
  return out.sort((a, b) => a - b);
}

export function bruteRadius(model: Model, cx: number, cy: number, cz: number, r: number): number[] {
  const out: number[] = [];
  for (const [id, [x, y, z]] of model) {
    const dx = x - cx, dy = y - cy, dz = z - cz;
    if (dx * dx + dy * dy + dz * dz <= r * r) out.push(id);
  }
  return out.sort((a, b) => a - b);
}

export function dist2(model: Model, id: number, cx: number, cy: number, cz: number): number {
  const [x, y, z] = model.get(id)!;
  const dx = x - cx, dy = y - cy, dz = z - cz;
  return dx * dx + dy * dy + dz * dz;
}

/** Every point is in exactly one leaf, whose box contains it; leaf sizes add up. */
export function expectConsistent(tree: Octree, model: Model): void {
  expect(tree.size).toBe(model.size);
  const seen = new Set<number>();
  const parts = tree.partitions();
  expect(parts.length).toBe(tree.partitionCount);
  const partIds = new Set<number>();
  for (const p of parts) {
    expect(partIds.has(p.id)).toBe(false);
    partIds.add(p.id);
    for (let k = p.start; k < p.start + p.actors; k++) {
      const id = tree.ids[k]!;
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      const pos = model.get(id);
      expect(pos).toBeDefined();
      for (let a = 0; a < 3; a++) {
        const v = pos![a]!;
        const inside = v >= p.min[a]! && (v < p.max[a]! || (v === p.max[a]! && v === WORLD.max[a]));
        if (!inside) throw new Error(`point ${id} at ${pos!.join(',')} outside partition ${p.id} [${p.min.join(',')}]–[${p.max.join(',')}]`);
      }
      expect(tree.partitionOf(id)).toBe(p.id);
    }
  }
  expect(seen.size).toBe(model.size);
}
