import { describe, expect, it } from 'vitest';

import { Pacer, type Clock } from '../src/pacing.js';

function manualClock() {
  let now = 0;
  const slept: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
  return { clock, slept, advance: (ms: number) => (now += ms) };
}

describe('Pacer', () => {
  it('sleeps out the rest of each period when ticks are fast', async () => {
    const { clock, slept, advance } = manualClock();
    const pacer = new Pacer(clock, 10);
    pacer.start();
    for (let i = 0; i < 3; i++) {
      advance(3);
      await pacer.next();
    }
    // Woken 1 ms early (setTimeout oversleeps), each tick then starts on the fixed schedule.
    expect(slept).toEqual([6, 7, 7]);
    expect(pacer.overruns).toBe(0);
  });

  it('counts an overrun and starts the next tick at once, without a catch-up burst', async () => {
    const { clock, slept, advance } = manualClock();
    const pacer = new Pacer(clock, 10);
    pacer.start();
    advance(35); // a tick 3.5 periods long
    await pacer.next();
    expect(pacer.overruns).toBe(1);
    expect(pacer.skipped).toBe(2);
    expect(slept).toEqual([]);
    advance(3); // the following ticks are paced from the new anchor, not run back to back
    await pacer.next();
    expect(slept).toEqual([6]);
    expect(pacer.overruns).toBe(1);
  });
});
