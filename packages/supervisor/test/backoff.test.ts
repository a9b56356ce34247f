/** Backoff sequences with a manual clock: exact delays for fixed and exponential (min, max, jitter, resetAfter). */
import { describe, expect, it } from 'vitest';

import { backoffDelay, createSupervisor, jitterUnit, type BackoffPolicy, type SupervisorEvent } from '../src/index.js';
import { createManualClock } from '../src/testing.js';
import { createHarness, settle } from './helpers.js';

const EXP: BackoffPolicy = { kind: 'exponential', min: 100, max: 1000, jitter: 0, resetAfter: 5000 };

describe('backoffDelay', () => {
  it('exponential: min·2ⁿ capped at max, jitter multiplies by 1 + jitter·r after the cap (Akka)', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map((n) => backoffDelay(EXP, n, 0.99))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    const j: BackoffPolicy = { ...EXP, jitter: 0.5 };
    expect([0, 3, 4].map((n) => backoffDelay(j, n, 0.5))).toEqual([125, 1000, 1250]);
    expect(backoffDelay(j, 0, 0.999999)).toBe(149);
    expect(backoffDelay({ kind: 'fixed', delay: 7 }, 9, 0.5)).toBe(7);
    expect(backoffDelay({ kind: 'none' }, 9, 0.5)).toBe(0);
  });

  it('jitterUnit is a pure function of its inputs, in [0, 1)', () => {
    expect(jitterUnit(42, 1, 2, 3)).toBe(jitterUnit(42, 1, 2, 3));
    expect(jitterUnit(42, 1, 2, 3)).not.toBe(jitterUnit(43, 1, 2, 3));
    for (let i = 0; i < 1000; i++) {
      const u = jitterUnit(i, i * 7, i * 13, i % 5);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });
});

/** Crashes child `a` each time it runs; returns the delays between crash and restart. */
async function delaysOf(backoff: BackoffPolicy, crashes: number, runFor: (i: number) => number, seed = 0): Promise<number[]> {
  const h = createHarness();
  const clock = createManualClock();
  const events: SupervisorEvent[] = [];
  const sup = createSupervisor({ strategy: 'one_for_one', children: [h.spec('a')], clock, backoff, seed, intensity: { maxRestarts: 1000, withinMs: 1 }, onEvent: (e) => events.push(e) });
  await sup.start();
  const delays: number[] = [];
  for (let i = 0; i < crashes; i++) {
    clock.advance(runFor(i));
    const crashedAt = clock.now();
    h.children.get('a')!.crash();
    await settle();
    const before = h.log.length;
    const due = clock.nextDue();
    if (due !== undefined && due > crashedAt) {
      clock.advance(due - crashedAt - 1);
      await settle();
      expect(h.log.length).toBe(before); // not yet
      clock.advance(1);
      await settle();
    }
    expect(h.log.at(-1)).toBe('start:a');
    delays.push(clock.now() - crashedAt);
  }
  expect(events.filter((e) => e.type === 'restart').map((e) => (e as { delay: number }).delay)).toEqual(delays);
  await sup.stop();
  return delays;
}

describe('tree backoff with a manual clock', () => {
  it('exponential: 100, 200, 400, 800, 1000, 1000, then back to 100 after running resetAfter', async () => {
    const delays = await delaysOf(EXP, 8, (i) => (i === 7 ? 5000 : 0));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 100]);
  });

  it('exponential: running just under resetAfter does not reset', async () => {
    expect(await delaysOf(EXP, 3, (i) => (i === 2 ? 4999 : 0))).toEqual([100, 200, 400]);
  });

  it('fixed delay', async () => {
    expect(await delaysOf({ kind: 'fixed', delay: 30 }, 3, () => 5)).toEqual([30, 30, 30]);
  });

  it('jitter: within [base, base·(1+jitter)), the same for the same seed, golden for seed 42', async () => {
    const policy: BackoffPolicy = { ...EXP, jitter: 0.2 };
    const a = await delaysOf(policy, 6, () => 0, 42);
    const b = await delaysOf(policy, 6, () => 0, 42);
    const c = await delaysOf(policy, 6, () => 0, 43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    [100, 200, 400, 800, 1000, 1000].forEach((base, i) => {
      expect(a[i]).toBeGreaterThanOrEqual(base);
      expect(a[i]).toBeLessThan(base * 1.2);
    });
    expect(a).toMatchInlineSnapshot(`
      [
        107,
        204,
        431,
        905,
        1139,
        1061,
      ]
    `);
  });

  it('stop() during a backoff cancels the pending restart', async () => {
    const h = createHarness();
    const clock = createManualClock();
    const sup = createSupervisor({ strategy: 'one_for_one', children: [h.spec('a'), h.spec('b')], clock, backoff: { kind: 'fixed', delay: 100 } });
    await sup.start();
    h.children.get('a')!.crash();
    await settle();
    expect(sup.whichChildren()[0]!.status).toBe('restarting');
    await sup.stop();
    clock.advance(1000);
    await settle();
    expect(h.log).toEqual(['start:a', 'start:b', 'stop:b']);
    expect(clock.pending).toBe(0);
  });
});
