/**
 * The octree index across an in-memory rewind: a rewind kept in memory across a refit of a derived
 * ("auto") world box, with spatial sorts on (a refit sorts the actors in the Morton order of the
 * box in use, so the box is part of the simulation's state).
 */
import { describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
import { Drifter } from './fixtures/drift.js';

const DRIFT = new URL('./fixtures/drift.ts', import.meta.url).href;
const TICKS = 24;

/** Actors spread over a 10-unit cube, flying off at different speeds: the box is outgrown, not just scaled. */
async function run(reorderEvery: number) {
  const engine = createEngine({ threads: 1, seed: 3, actorModules: [DRIFT], retention: { recent: TICKS + 2 }, spatial: { strategy: 'adaptive-octree', splitAbove: 16, reorderEvery } });
  engine.spawn(Drifter, 600, (d, i) => {
    d.position.set((i * 7919) % 10, (i * 104_729) % 10, (i * 1_299_709) % 10);
    const s = 60 * (1 + (i % 7));
    d.velocity.set(s * Math.sin(i * 1.7), s * Math.cos(i * 2.3), s * Math.sin(i * 0.9) * Math.cos(i * 0.4));
  });
  const hashes: string[] = [];
  const refits: number[] = [];
  for (let t = 0; t < TICKS; t++) {
    await engine.step();
    hashes.push(engine.stateHash());
    refits.push(engine.stats().spatial!.refits);
  }
  return { engine, hashes, refits };
}

describe('an in-memory rewind across a world-box refit', () => {
  it('an in-memory rewind to before later refits replays the same hashes when refits sort the actors', async () => {
    const one = await run(1000);
    try {
      const at3 = one.refits[2]!;
      expect(one.refits[TICKS - 1]! - at3).toBeGreaterThanOrEqual(1); // refits after tick 3
      await one.engine.rewind(3);
      const before = one.engine.stats().spatial!.refits;
      const again: string[] = [];
      const refits: number[] = [];
      for (let t = 3; t < TICKS; t++) {
        await one.engine.step();
        again.push(one.engine.stateHash());
        refits.push(one.engine.stats().spatial!.refits - before);
      }
      expect(again).toEqual(one.hashes.slice(3));
      expect(refits[refits.length - 1], 'refits after the rewind').toBe(one.refits[TICKS - 1]! - at3);
    } finally {
      await one.engine.close();
    }
  }, 60_000);

  it('an in-memory rewind replays the same hashes when actors are sorted every 5 ticks (the sort orders by the box in use)', async () => {
    const one = await run(5);
    try {
      await one.engine.rewind(3);
      const again: string[] = [];
      for (let t = 3; t < TICKS; t++) {
        await one.engine.step();
        again.push(one.engine.stateHash());
      }
      expect(again).toEqual(one.hashes.slice(3));
    } finally {
      await one.engine.close();
    }
  }, 60_000);
});
