/** ActorSupervisionGroup: exact backoff sequences in ticks, intensity windows, memory, growth, bad input. */
import { describe, expect, it } from 'vitest';

import { ActorSupervisionGroup, isSupervisorError, type ActorGroupPolicy, type FailureDecision } from '../src/index.js';

const base: ActorGroupPolicy = { restart: 'permanent', backoff: { kind: 'none' }, maxRestarts: 100, within: 1000 };
const at = (d: FailureDecision) => (d.action === 'restart' ? d.at : d.action);

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(isSupervisorError(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('ActorSupervisionGroup', () => {
  it('keeps 13 bytes of state per actor at 1M actors', () => {
    const g = new ActorSupervisionGroup({ capacity: 1_000_000, policy: base });
    expect(g.bytesPerActor).toBe(13);
    expect(g.bytesPerActor).toBeLessThanOrEqual(16);
  });

  it('exponential backoff in ticks: 2, 4, 8, 16, 32, capped at 50, reset after running 100 ticks', () => {
    const g = new ActorSupervisionGroup({ capacity: 4, policy: { ...base, backoff: { kind: 'exponential', min: 2, max: 50, jitter: 0, resetAfter: 100 } } });
    // Each failure happens on the tick the actor runs again.
    const seq: number[] = [];
    let now = 0;
    for (let i = 0; i < 7; i++) {
      const r = at(g.recordFailure(1, now)) as number;
      seq.push(r - now);
      now = r;
    }
    expect(seq).toEqual([2, 4, 8, 16, 32, 50, 50]);
    expect(g.suspendedUntil(1)).toBe(now);
    expect(at(g.recordFailure(1, now + 99))).toBe(now + 99 + 50); // ran 99 ticks: no reset
    const t = now + 99 + 50 + 100;
    expect(at(g.recordFailure(1, t))).toBe(t + 2); // ran 100 ticks: reset
    expect(g.suspendedUntil(0)).toBe(0); // neighbours untouched
    expect(g.restarts).toBe(9);
  });

  it('jitter is seeded: same seed same ticks, within [base, base·(1+jitter))', () => {
    const policy: ActorGroupPolicy = { ...base, backoff: { kind: 'exponential', min: 10, max: 1000, jitter: 0.5, resetAfter: Infinity } };
    const run = (seed: number) => {
      const g = new ActorSupervisionGroup({ capacity: 8, policy, seed });
      return [0, 1, 2, 3].map((i) => (at(g.recordFailure(3, i * 2000)) as number) - i * 2000);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    run(7).forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(10 * 2 ** i);
      expect(d).toBeLessThan(15 * 2 ** i);
    });
    expect(run(7)).toMatchInlineSnapshot(`
      [
        10,
        28,
        45,
        86,
      ]
    `);
  });

  it('fixed and none', () => {
    const f = new ActorSupervisionGroup({ capacity: 1, policy: { ...base, backoff: { kind: 'fixed', delay: 5 } } });
    expect([at(f.recordFailure(0, 10)), at(f.recordFailure(0, 15))]).toEqual([15, 20]);
    const n = new ActorSupervisionGroup({ capacity: 1, policy: base });
    expect(at(n.recordFailure(0, 10))).toBe(10);
  });

  it('restart types: temporary is removed, transient restarts like permanent (a failure is abnormal)', () => {
    const t = new ActorSupervisionGroup({ capacity: 1, policy: { ...base, restart: 'temporary' } });
    expect(t.recordFailure(0, 1)).toEqual({ action: 'remove' });
    expect(t.removals).toBe(1);
    const tr = new ActorSupervisionGroup({ capacity: 1, policy: { ...base, restart: 'transient' } });
    expect(tr.recordFailure(0, 1).action).toBe('restart');
  });

  it('actor intensity: the (maxRestarts+1)-th failure within `within` ticks of the window opening escalates', () => {
    const g = new ActorSupervisionGroup({ capacity: 2, policy: { ...base, maxRestarts: 2, within: 10 } });
    expect([0, 5, 10].map((t) => g.recordFailure(0, t).action)).toEqual(['restart', 'restart', 'escalate']);
    const d = g.recordFailure(0, 10);
    expect(d).toMatchObject({ action: 'escalate', scope: 'actor' });
    expect((d as { reason: string }).reason).toContain('actor 0 failed 4 times within 10 ticks');
    expect(g.recordFailure(0, 21).action).toBe('restart'); // 21 - 0 > 10: a new window
    expect(g.recordFailure(1, 21).action).toBe('restart'); // another actor has its own window
    g.reset(0);
    expect(g.recordFailure(0, 22).action).toBe('restart');
    expect(g.escalations).toBe(2);
  });

  it('group intensity: restarts of all actors count; exceeding it escalates the group until resetGroup()', () => {
    const g = new ActorSupervisionGroup({ capacity: 10, policy: base, groupIntensity: { maxRestarts: 3, within: 5 } });
    expect([0, 1, 2, 3].map((s) => g.recordFailure(s, 1).action)).toEqual(['restart', 'restart', 'restart', 'escalate']);
    expect(g.groupEscalated).toBe(true);
    expect(g.recordFailure(9, 100)).toMatchObject({ action: 'escalate', scope: 'group' });
    g.resetGroup();
    expect(g.recordFailure(9, 100).action).toBe('restart');
    // Per-actor escalations do not count toward the group.
    const h = new ActorSupervisionGroup({ capacity: 1, policy: { ...base, maxRestarts: 0 }, groupIntensity: { maxRestarts: 1, within: 100 } });
    expect([1, 2, 3].map((t) => h.recordFailure(0, t).action)).toEqual(['escalate', 'escalate', 'escalate']);
    expect(h.groupEscalated).toBe(false);
  });

  it('grow keeps every slot state and adds clean slots', () => {
    const g = new ActorSupervisionGroup({ capacity: 2, policy: { ...base, backoff: { kind: 'fixed', delay: 3 } } });
    g.recordFailure(1, 7);
    g.grow(1000);
    expect(g.capacity).toBe(1000);
    expect(g.suspendedUntil(1)).toBe(10);
    expect(g.suspendedUntil(999)).toBe(0);
    expect(g.bytesPerActor).toBe(13);
    g.grow(10); // smaller: no-op
    expect(g.capacity).toBe(1000);
  });

  it('saturates `at` at the largest Uint32 tick', () => {
    const g = new ActorSupervisionGroup({ capacity: 1, policy: { ...base, backoff: { kind: 'fixed', delay: 100 } } });
    expect(at(g.recordFailure(0, 0xffffffff - 1))).toBe(0xffffffff);
  });

  it('rejects bad options and arguments with typed errors', () => {
    const ok = { capacity: 4, policy: base };
    expectCode(() => new ActorSupervisionGroup({ ...ok, capacity: 0 }), 'SUPERVISOR_INVALID_ARGUMENT');
    expectCode(() => new ActorSupervisionGroup({ ...ok, capacity: 1.5 }), 'SUPERVISOR_INVALID_ARGUMENT');
    expectCode(() => new ActorSupervisionGroup({ ...ok, policy: { ...base, restart: 'sometimes' as never } }), 'SUPERVISOR_INVALID_POLICY');
    expectCode(() => new ActorSupervisionGroup({ ...ok, policy: { ...base, maxRestarts: -1 } }), 'SUPERVISOR_INVALID_POLICY');
    expectCode(() => new ActorSupervisionGroup({ ...ok, policy: { ...base, within: 0 } }), 'SUPERVISOR_INVALID_POLICY');
    expectCode(() => new ActorSupervisionGroup({ ...ok, policy: { ...base, backoff: { kind: 'fixed', delay: -1 } } }), 'SUPERVISOR_INVALID_POLICY');
    expectCode(() => new ActorSupervisionGroup({ ...ok, policy: { ...base, backoff: { kind: 'exponential', min: 10, max: 5, jitter: 0, resetAfter: 1 } } }), 'SUPERVISOR_INVALID_POLICY');
    expectCode(() => new ActorSupervisionGroup({ ...ok, policy: { ...base, backoff: { kind: 'exponential', min: 1, max: 5, jitter: 1.5, resetAfter: 1 } } }), 'SUPERVISOR_INVALID_POLICY');
    expectCode(() => new ActorSupervisionGroup({ ...ok, policy: { ...base, backoff: { kind: 'linear' } as never } }), 'SUPERVISOR_INVALID_POLICY');
    expectCode(() => new ActorSupervisionGroup({ ...ok, groupIntensity: { maxRestarts: 1, within: -3 } }), 'SUPERVISOR_INVALID_POLICY');
    const g = new ActorSupervisionGroup(ok);
    expectCode(() => g.recordFailure(4, 0), 'SUPERVISOR_INVALID_ARGUMENT');
    expectCode(() => g.recordFailure(-1, 0), 'SUPERVISOR_INVALID_ARGUMENT');
    expectCode(() => g.recordFailure(0, 1.5), 'SUPERVISOR_INVALID_ARGUMENT');
    expectCode(() => g.recordFailure(0, 2 ** 32), 'SUPERVISOR_INVALID_ARGUMENT');
    expectCode(() => g.suspendedUntil(9), 'SUPERVISOR_INVALID_ARGUMENT');
    expectCode(() => g.grow(-1), 'SUPERVISOR_INVALID_ARGUMENT');
  });
});
