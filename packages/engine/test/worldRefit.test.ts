/**
 * An octree world box derived from the actors ("auto") is derived again when they outgrow it — the
 * brief's example starts every actor at the origin — and that decision is part of the simulation:
 * the same for any thread count and after a rewind.
 */
import { Actor, field, KindStore } from '@concurrengine/actors';
import { describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
import { allocateOctreeIndex, OctreeIndexWriter } from '../src/octreeIndex.js';
import { burst, Spark } from './fixtures/burst.js';

const BURST = new URL('./fixtures/burst.ts', import.meta.url).href;
const TICKS = 24;

async function flyApart(threads: number) {
  const engine = createEngine({ threads, seed: 3, actorModules: [BURST], retention: { recent: TICKS }, spatial: { strategy: 'adaptive-octree', splitAbove: 16, reorderEvery: 0 } });
  burst((n, init) => engine.spawn(Spark, n, init), 500);
  const hashes: string[] = [];
  const outside: number[] = [];
  for (let t = 0; t < TICKS; t++) {
    await engine.step();
    hashes.push(engine.stateHash());
    outside.push(engine.stats().spatial!.outside);
  }
  return { engine, hashes, outside };
}

describe('a derived world box', () => {
  it('is derived again as the actors spread, keeps the outside list short, and gives the same hashes for 1 and 2 threads and after a rewind', async () => {
    const one = await flyApart(1);
    const two = await flyApart(2);
    try {
      expect(two.hashes).toEqual(one.hashes);
      const spatial = one.engine.stats().spatial!;
      expect(spatial.refits).toBeGreaterThanOrEqual(2);
      expect(two.engine.stats().spatial!.refits).toBe(spatial.refits);
      // Never more outside than the refit threshold (1/8 of those inside, at least 64) after a boundary.
      expect(Math.max(...one.outside)).toBeLessThanOrEqual(64);
      expect(spatial.partitions).toBeGreaterThan(8);
      // Back to tick 3 (before later refits) and forward: the same hashes, the same refits.
      await two.engine.rewind(3);
      for (let t = 3; t < TICKS; t++) {
        expect(two.engine.stateHash(), `tick ${t}`).toBe(one.hashes[t - 1]);
        await two.engine.step();
      }
      expect(two.engine.stateHash()).toBe(one.hashes[TICKS - 1]);
    } finally {
      await one.engine.close();
      await two.engine.close();
    }
  }, 60_000);

  it('is not derived again for actors no box can hold (NaN or infinite positions), however many', () => {
    class Dot extends Actor({ position: field.vec3() }, { pageSize: 16 }) {
      handle(): void {}
    }
    const store = new KindStore(Dot, 0);
    const refs = Array.from({ length: 400 }, (_, i) => store.spawn((d) => d.position.set(i % 20, (i * 7) % 20, (i * 13) % 20)));
    const writer = new OctreeIndexWriter(allocateOctreeIndex(), { strategy: 'adaptive-octree', splitAbove: 16, reorderEvery: 0 });
    writer.rebuild([store]);
    refs.slice(0, 150).forEach((ref, i) => store.view(ref).position.set(i % 2 === 0 ? NaN : Infinity, 0, 0));
    for (let tick = 1; tick <= 5; tick++) writer.rebuild([store], tick);
    expect(writer.stats().outside).toBe(150);
    expect(writer.stats().refits).toBe(0);
    // 150 finite actors far away: one refit takes them in.
    refs.slice(150, 300).forEach((ref, i) => store.view(ref).position.set(500 + i, 0, 0));
    for (let tick = 6; tick <= 8; tick++) writer.rebuild([store], tick);
    expect(writer.stats().refits).toBe(1);
    expect(writer.stats().outside).toBe(150);
  });
});
