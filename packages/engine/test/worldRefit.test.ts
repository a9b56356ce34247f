/**
 * An octree world box derived from the actors ("auto") is derived again when they outgrow it — the
 * brief's example starts every actor at the origin — and that decision is part of the simulation:
 * the same for any thread count and after a rewind.
 */
import { describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
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
});
