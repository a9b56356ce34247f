import { describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
import { Moved, populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;

describe('event subscription', () => {
  it('delivers one batch per tick in actor order, and stops writing records when nobody listens', async () => {
    const engine = createEngine({ threads: 2, seed: 3, actorModules: [SIM] });
    try {
      populate((n, init) => engine.spawn(Walker, n, init), 300);
      await engine.step(); // nobody subscribed: counted, not recorded
      expect(engine.stats().eventsEmitted).toBe(300);
      const batches: { tick: number; count: number; first: unknown; senders: number[] }[] = [];
      const unsubscribe = engine.on(Moved, (batch) => {
        batches.push({ tick: batch.tick, count: batch.count, first: batch.get(0), senders: Array.from({ length: batch.count }, (_, i) => batch.from(i)) });
      });
      const refs = engine.refs(Walker);
      const expected = engine.view(Walker, refs[0]!).position.toJSON();
      const v = engine.view(Walker, refs[0]!).velocity.toJSON();
      await engine.step();
      expect(batches).toHaveLength(1);
      expect(batches[0]!.tick).toBe(1);
      expect(batches[0]!.count).toBe(300);
      expect(batches[0]!.senders).toEqual(refs);
      expect(batches[0]!.first).toEqual({ position: { x: expected.x + v.x / 60, y: expected.y + v.y / 60, z: expected.z + v.z / 60 } });
      unsubscribe();
      await engine.step();
      expect(batches).toHaveLength(1);
      expect(engine.stats().eventsEmitted).toBeGreaterThanOrEqual(900);
    } finally {
      await engine.close();
    }
  }, 30_000);
});
