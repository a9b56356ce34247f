/**
 * ActorSupervisionGroup against an object-per-actor reference: the same decisions and suspension
 * ticks for random policies and random failure/reset/grow sequences. The fast-check seed is printed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ActorSupervisionGroup, type ActorGroupPolicy, type BackoffPolicy } from '../src/index.js';
import { label, ReferenceGroup } from './actorGroupModel.js';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`fast-check seed ${SEED} (set FC_SEED to replay)`);

const backoffArb: fc.Arbitrary<BackoffPolicy> = fc.oneof(
  fc.constant<BackoffPolicy>({ kind: 'none' }),
  fc.nat(20).map((delay): BackoffPolicy => ({ kind: 'fixed', delay })),
  fc
    .record({ min: fc.nat(8), span: fc.nat(200), jitter: fc.constantFrom(0, 0.25, 1), resetAfter: fc.oneof(fc.nat(5), fc.nat(40), fc.constant(Infinity)) })
    .map(({ min, span, jitter, resetAfter }): BackoffPolicy => ({ kind: 'exponential', min, max: min + span, jitter, resetAfter })),
);
const policyArb: fc.Arbitrary<ActorGroupPolicy> = fc.record({
  restart: fc.constantFrom('permanent' as const, 'transient' as const, 'temporary' as const),
  backoff: backoffArb,
  maxRestarts: fc.nat(6),
  within: fc.integer({ min: 1, max: 16 }),
});
const opArb = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('fail' as const), slot: fc.nat(7), dt: fc.nat(12) }) },
  // Fails `dt` ticks after the actor ran again: reaches the resetAfter boundary.
  { weight: 4, arbitrary: fc.record({ op: fc.constant('failAfterRun' as const), slot: fc.nat(7), dt: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reset' as const), slot: fc.nat(7), dt: fc.constant(0) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('grow' as const), slot: fc.nat(7), dt: fc.constant(0) }) },
);

describe('ActorSupervisionGroup vs an object per actor', () => {
  it('same decisions, same suspensions, same counters', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.option(fc.record({ maxRestarts: fc.nat(10), within: fc.integer({ min: 1, max: 16 }) }), { nil: undefined }),
        fc.integer(),
        fc.array(opArb, { maxLength: 150 }),
        (policy, groupIntensity, seed, ops) => {
          let capacity = 2;
          const group = new ActorSupervisionGroup({ capacity, policy, seed, ...(groupIntensity ? { groupIntensity } : {}) });
          const ref = new ReferenceGroup(policy, seed >>> 0, groupIntensity);
          let now = 0;
          let restarts = 0;
          let escalations = 0;
          for (const { op, slot, dt } of ops) {
            if (op === 'grow') {
              capacity = Math.min(8, capacity * 2);
              group.grow(capacity);
              continue;
            }
            if (slot >= capacity) continue;
            now = op === 'failAfterRun' ? Math.max(now, ref.suspendedUntil(slot)) + dt : now + dt;
            if (op === 'reset') {
              group.reset(slot);
              ref.reset(slot);
            } else {
              const expected = ref.recordFailure(slot, now);
              expect(label(group.recordFailure(slot, now))).toBe(expected);
              if (expected.startsWith('restart')) restarts++;
              if (expected.startsWith('escalate')) escalations++;
            }
            expect(group.suspendedUntil(slot)).toBe(ref.suspendedUntil(slot));
          }
          expect(group.restarts).toBe(restarts);
          expect(group.escalations).toBe(escalations);
          expect(group.groupEscalated).toBe(ref.groupDown);
        },
      ),
      { seed: SEED, numRuns: 600 },
    );
  });
});
