/** Crash safety with real processes: SIGKILL a writing child at random moments, then check the store. */
import { afterAll, describe, expect, it } from 'vitest';

import { createPrng } from '@concurrengine/bench-harness';

import { crashTrial } from '../soak/crashTrial.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const SEED = 20_250_808;

describe('SIGKILL at random moments (the soak script runs ≥ 100 of these)', () => {
  it('every listed tick reads back with the content the child wrote; nothing partial is listed', async () => {
    const prng = createPrng(SEED);
    const dir = tempDir('snapshot-crash-');
    let latest = 0;
    for (let i = 0; i < 10; i++) {
      const result = await crashTrial(dir, i % 2 === 0 ? 'worker' : 'thread', prng.next());
      expect(result.problems, `trial ${i} (seed ${SEED}), killed after ${result.killedAfterMs.toFixed(0)} ms`).toEqual([]);
      latest = Math.max(latest, result.listed[result.listed.length - 1] ?? 0);
    }
    expect(latest).toBeGreaterThan(10);
  }, 60_000);
});
