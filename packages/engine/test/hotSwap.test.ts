import { describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
import { populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const SIM_V2 = new URL('./fixtures/simV2.ts', import.meta.url).href;

function world(threads: number) {
  const engine = createEngine({ threads, seed: 11, actorModules: [SIM] });
  populate((n, init) => engine.spawn(Walker, n, init), 800);
  return engine;
}

describe('hot swap at a tick boundary', () => {
  it('changes the thread count while running (1 → 2 → 4 → 1) without changing the result', async () => {
    const reference = world(1);
    const swapped = world(1);
    try {
      await reference.step(24);
      for (const threads of [2, 4, 1]) {
        await swapped.step(6);
        await swapped.resize(threads);
        expect(swapped.stats().threads).toBe(threads);
      }
      await swapped.step(6);
      expect(swapped.stateHash()).toBe(reference.stateHash());
    } finally {
      await Promise.all([reference.close(), swapped.close()]);
    }
  }, 60_000);

  it('resizes during run() at the next boundary', async () => {
    const engine = world(2);
    try {
      const running = engine.run({ ticks: 40 });
      await engine.resize(1);
      const summary = await running;
      expect(summary.ticks).toBe(40);
      expect(engine.stats().threads).toBe(1);
    } finally {
      await engine.close();
    }
  }, 60_000);

  for (const threads of [1, 2]) {
    it(`reloads a kind's handler in every thread and keeps every actor's state (${threads} thread(s))`, async () => {
      const engine = world(threads);
      try {
        await engine.step(5);
        const refs = engine.refs(Walker);
        const before = refs.map((r) => engine.view(Walker, r).position.toJSON());
        const velocity = refs.map((r) => engine.view(Walker, r).velocity.toJSON());
        const hash = engine.stateHash();
        expect(await engine.reload(SIM_V2)).toEqual(['Walker']);
        expect(engine.stateHash()).toBe(hash); // reloading changes code, not state
        await engine.step();
        refs.forEach((r, i) => {
          const after = engine.view(Walker, r).position.toJSON();
          // v2 moves by 2·velocity·dt; v1 would have moved by velocity·dt (and maybe died)
          expect(after.x).toBeCloseTo(before[i]!.x + (2 * velocity[i]!.x) / 60, 9);
          expect(after.z).toBeCloseTo(before[i]!.z + (2 * velocity[i]!.z) / 60, 9);
        });
        expect(engine.refs(Walker)).toEqual(refs); // v2 never despawns
      } finally {
        await engine.close();
      }
    }, 60_000);
  }
});
