/**
 * Start-up is not a tick (issue 16): the pool's threads start and import the program before the
 * first tick is timed, and `stats().startMs` reports how long that took.
 */
import { describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
import { SLOW_START_MS, Sleeper } from './fixtures/slowStart.js';

const SLOW = new URL('./fixtures/slowStart.ts', import.meta.url).href;

describe('start-up', () => {
  it('waits for the threads before the first tick: startMs holds their start, the first tick does not', async () => {
    const engine = createEngine({ threads: 2, actorModules: [SLOW] });
    engine.spawn(Sleeper, 40);
    expect(engine.stats().startMs).toBe(0);
    try {
      await engine.step();
      const stats = engine.stats();
      expect(stats.startMs).toBeGreaterThanOrEqual(SLOW_START_MS);
      // 40 actors that count: however loaded the machine, far from the workers' import delay.
      expect(stats.tickMsSinceStart.max).toBeLessThan(SLOW_START_MS);
      expect(engine.refs(Sleeper).every((ref) => engine.view(Sleeper, ref).count === 1)).toBe(true);
      await engine.step();
      expect(engine.stats().startMs).toBe(stats.startMs); // once
    } finally {
      await engine.close();
    }
  }, 60_000);
});
