/**
 * The timeline against a plain model (an ascending array of retained ticks, with retention written
 * as a filter) over random retention policies and random seal / get / nearestAtOrBefore /
 * truncateAfter / clear sequences: the retained set is the model's, `release` is called exactly
 * once for every dropped snapshot and never for a retained one, `get` errors name the oldest tick,
 * and size never exceeds describeRetention(policy). The fast-check seed is printed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { describeRetention, isLifecycleError, Timeline, TickNotRetainedError, type RetentionPolicy } from '../src/index.js';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`fast-check seed ${SEED} (set FC_SEED to replay)`);

interface Snap {
  readonly id: number;
  readonly tick: number;
}

/** The model's retention, applied to the retained ticks after each seal (dropped ticks never come back). */
function retain(ticks: readonly number[], policy: RetentionPolicy): number[] {
  const every = policy.every ?? 0;
  const keepEvery = policy.keepEvery ?? 0;
  const keyframes = every > 0 ? ticks.filter((t) => t % every === 0) : [];
  const keptKeyframes = new Set(keepEvery > 0 ? keyframes.slice(-keepEvery) : []);
  return ticks.filter((t, i) => i >= ticks.length - policy.recent || keptKeyframes.has(t));
}

const policyArb: fc.Arbitrary<RetentionPolicy> = fc.oneof(
  fc.record({ recent: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ recent: fc.integer({ min: 0, max: 6 }), every: fc.integer({ min: 1, max: 4 }), keepEvery: fc.integer({ min: 0, max: 4 }) }),
);
type Op =
  | { kind: 'seal'; gap: number }
  | { kind: 'get'; back: number }
  | { kind: 'nearest'; back: number }
  | { kind: 'truncate'; back: number }
  | { kind: 'clear' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('seal' as const), gap: fc.integer({ min: -1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('get' as const), back: fc.integer({ min: -2, max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('nearest' as const), back: fc.integer({ min: -2, max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), back: fc.integer({ min: -2, max: 12 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('Timeline against a plain model', () => {
  it('retains what the model retains and releases every dropped snapshot exactly once', () => {
    fc.assert(
      fc.property(policyArb, fc.array(opArb, { maxLength: 200, size: 'large' }), (policy, ops) => {
        const bound = describeRetention(policy);
        const sealed: Snap[] = []; // every snapshot ever sealed
        const released = new Map<number, number>(); // snapshot id → release calls
        let model: number[] = []; // retained ticks, ascending
        const snapAt = new Map<number, Snap>(); // retained tick → snapshot
        let last: number | undefined; // seal must exceed this
        const timeline = new Timeline<Snap>({
          retention: policy,
          release: (snap, tick) => {
            expect(tick).toBe(snap.tick);
            released.set(snap.id, (released.get(snap.id) ?? 0) + 1);
            // Released only once the timeline no longer holds it.
            expect(timeline.has(tick) && timeline.get(tick) === snap).toBe(false);
          },
        });
        const dropModel = (keep: readonly number[]): void => {
          const kept = new Set(keep);
          for (const t of [...snapAt.keys()]) if (!kept.has(t)) snapAt.delete(t);
          model = [...keep];
        };
        const latestSealed = (): number => last ?? -1;

        for (const op of ops) {
          switch (op.kind) {
            case 'seal': {
              const tick = latestSealed() + op.gap;
              const snap = { id: sealed.length, tick };
              if (tick < 0 || (last !== undefined && tick <= last)) {
                expect(() => timeline.seal(tick, snap)).toThrow(
                  expect.objectContaining({ code: tick < 0 ? 'TICK_INVALID' : 'TICK_ORDER' }),
                );
                break;
              }
              timeline.seal(tick, snap);
              sealed.push(snap);
              snapAt.set(tick, snap);
              last = tick;
              dropModel(retain([...model, tick], policy));
              break;
            }
            case 'get': {
              const tick = latestSealed() - op.back;
              if (snapAt.has(tick)) {
                expect(timeline.get(tick)).toBe(snapAt.get(tick));
                break;
              }
              let error: unknown;
              try {
                timeline.get(tick);
              } catch (e) {
                error = e;
              }
              expect(error).toBeInstanceOf(TickNotRetainedError);
              const e = error as TickNotRetainedError;
              expect([e.code, e.tick, e.oldest, e.latest]).toEqual(['TICK_NOT_RETAINED', tick, model[0], model.at(-1)]);
              expect(e.message).toContain(model.length === 0 ? 'the timeline is empty' : `oldest retained tick${tick < model[0]! ? ', which' : ''} is ${model[0]}`);
              if (model.length > 0 && tick > model[0]! && tick < model.at(-1)!) {
                expect([e.before, e.after]).toEqual([model.filter((t) => t < tick).at(-1), model.find((t) => t > tick)]);
                expect(e.message).toContain(`nearest retained ticks are ${e.before} and ${e.after}`);
              }
              break;
            }
            case 'nearest': {
              const tick = latestSealed() - op.back;
              const at = model.filter((t) => t <= tick).at(-1);
              const found = timeline.nearestAtOrBefore(tick);
              expect(found).toEqual(at === undefined ? undefined : { tick: at, snapshot: snapAt.get(at) });
              break;
            }
            case 'truncate': {
              const tick = latestSealed() - op.back;
              timeline.truncateAfter(tick);
              dropModel(model.filter((t) => t <= tick));
              if (last !== undefined && tick < last) last = tick;
              break;
            }
            case 'clear':
              timeline.clear();
              dropModel([]);
              last = undefined;
              break;
          }
          expect(timeline.ticks()).toEqual(model);
          expect([timeline.size, timeline.oldest, timeline.latest]).toEqual([model.length, model[0], model.at(-1)]);
          expect(timeline.size).toBeLessThanOrEqual(bound);
          const retainedIds = new Set([...snapAt.values()].map((s) => s.id));
          const wrong = sealed.filter((snap) => released.get(snap.id) !== (retainedIds.has(snap.id) ? undefined : 1));
          expect(wrong).toEqual([]); // released once if dropped, never if retained
        }
        timeline.clear();
        for (const snap of sealed) expect(released.get(snap.id)).toBe(1);
      }),
      { seed: SEED, numRuns: 800 },
    );
  });

  it('a release that throws is reported after the timeline is consistent, and the others still run', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 4 }), (policy, n, failEvery) => {
        const released: number[] = [];
        const timeline = new Timeline<number>({
          retention: policy,
          release: (_, tick) => {
            released.push(tick);
            if (failEvery > 0 && tick % failEvery === 0) throw new Error(`cannot free ${tick}`);
          },
        });
        let model: number[] = [];
        for (let tick = 0; tick < n; tick++) {
          try {
            timeline.seal(tick, tick);
          } catch (error) {
            expect(isLifecycleError(error, 'RELEASE_FAILED')).toBe(true);
          }
          model = retain([...model, tick], policy);
          expect(timeline.ticks()).toEqual(model);
        }
        expect(() => timeline.clear()).not.toThrow(expect.objectContaining({ code: 'TICK_ORDER' }));
        expect(released.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
