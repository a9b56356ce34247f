/** parsePolicy: the `[supervision]` config section to a group policy; bad values name their key. */
import { describe, expect, it } from 'vitest';

import { isSupervisorError, parsePolicy } from '../src/index.js';

function keyOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isSupervisorError(e, 'SUPERVISOR_INVALID_CONFIG')) return e.key;
    throw e;
  }
  return undefined;
}

describe('parsePolicy', () => {
  it("defaults to the config package's defaults", () => {
    expect(parsePolicy({})).toEqual({
      policy: { restart: 'permanent', backoff: { kind: 'exponential', min: 10, max: 5000, jitter: 0.2, resetAfter: 30000 }, maxRestarts: 10, within: 5000 },
      isolation: 'actor',
      strategy: 'one_for_one',
    });
  });

  it('reads the raw TOML table and converts durations to ticks', () => {
    const parsed = parsePolicy(
      { restart_policy: 'exponential-backoff', max_restarts: 16, restart_window: '2s', backoff_min: '100ms', backoff_max: '1s', reset_after: '10s', isolation: 'partition', strategy: 'rest-for-one' },
      { tickRateHz: 60, jitter: 0 },
    );
    expect(parsed).toEqual({
      policy: { restart: 'permanent', backoff: { kind: 'exponential', min: 6, max: 60, jitter: 0, resetAfter: 600 }, maxRestarts: 16, within: 120 },
      isolation: 'partition',
      strategy: 'rest_for_one',
    });
  });

  it('reads the resolved SupervisionConfig (camelCase, ms)', () => {
    const p = parsePolicy({ restartPolicy: 'fixed-backoff', maxRestarts: 3, restartWindowMs: 1000, backoffMinMs: 50, backoffMaxMs: 50, resetAfterMs: 0, isolation: 'worker', strategy: 'one-for-all' });
    expect(p.policy).toEqual({ restart: 'permanent', backoff: { kind: 'fixed', delay: 50 }, maxRestarts: 3, within: 1000 });
    expect(p.strategy).toBe('one_for_all');
  });

  it('maps immediate to no backoff and never to temporary', () => {
    expect(parsePolicy({ restart_policy: 'immediate' }).policy.backoff).toEqual({ kind: 'none' });
    expect(parsePolicy({ restart_policy: 'never' }).policy.restart).toBe('temporary');
    expect(parsePolicy({ backoff_min: '1ms' }, { tickRateHz: 60 }).policy.backoff).toMatchObject({ min: 1 }); // never rounds to 0
  });

  it('names the key of a bad value', () => {
    expect(keyOf(() => parsePolicy({ restart_policy: 'sometimes' }))).toBe('supervision.restart_policy');
    expect(keyOf(() => parsePolicy({ max_restarts: -1 }))).toBe('supervision.max_restarts');
    expect(keyOf(() => parsePolicy({ max_restarts: 1.5 }))).toBe('supervision.max_restarts');
    expect(keyOf(() => parsePolicy({ isolation: 'thread' }))).toBe('supervision.isolation');
    expect(keyOf(() => parsePolicy({ strategy: 'one_for_one' }))).toBe('supervision.strategy');
    expect(keyOf(() => parsePolicy({ restart_window: '5 parsecs' }))).toBe('supervision.restart_window');
    expect(keyOf(() => parsePolicy({ restart_window: 0 }))).toBe('supervision.restart_window');
    expect(keyOf(() => parsePolicy({ backoff_min: '2s', backoff_max: '1s' }))).toBe('supervision.backoff_min');
    expect(keyOf(() => parsePolicy({}, { tickRateHz: 0 }))).toBe('engine.tick_rate');
    try {
      parsePolicy({ restart_policy: 'fixed' });
    } catch (e) {
      expect((e as Error).message).toBe(
        'supervision.restart_policy: expected one of "exponential-backoff", "fixed-backoff", "immediate", "never", got "fixed"',
      );
    }
  });
});
