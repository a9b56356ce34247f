/** Timeline examples: error messages, retention validation, and the engine's 60 Hz shape. */
import { describe, expect, it } from 'vitest';

import { describeRetention, isLifecycleError, Timeline, type RetentionPolicy } from '../src/index.js';

function filled(policy: RetentionPolicy, ticks: Iterable<number>): { timeline: Timeline<string>; released: number[] } {
  const released: number[] = [];
  const timeline = new Timeline<string>({ retention: policy, release: (_, tick) => released.push(tick) });
  for (const tick of ticks) timeline.seal(tick, `frame ${tick}`);
  return { timeline, released };
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('Timeline', () => {
  it('at 60 Hz with recent 600 and the last 20 ticks divisible by 60, holds 610 snapshots and releases the rest once', () => {
    // 10 of the 20 keyframes lie inside the recent window, so 10 more reach back beyond it.
    const policy = { recent: 600, every: 60, keepEvery: 20 };
    const { timeline, released } = filled(policy, range(0, 10_000));
    expect(timeline.size).toBe(610);
    expect(describeRetention(policy)).toBe(620);
    expect(timeline.ticks().slice(0, 11)).toEqual([8820, 8880, 8940, 9000, 9060, 9120, 9180, 9240, 9300, 9360, 9400]);
    expect([timeline.oldest, timeline.latest]).toEqual([8820, 9999]);
    expect(released.length).toBe(10_000 - 610);
    expect(new Set(released).size).toBe(released.length);
    expect(timeline.get(9000)).toBe('frame 9000');
    expect(timeline.nearestAtOrBefore(9399)).toEqual({ tick: 9360, snapshot: 'frame 9360' });
  });

  it('get names the oldest tick, or the nearest retained ticks when the tick was thinned out', () => {
    const { timeline } = filled({ recent: 3, every: 10, keepEvery: 2 }, range(0, 40));
    expect(timeline.ticks()).toEqual([20, 30, 37, 38, 39]);
    expect(() => timeline.get(5)).toThrow('tick 5 is not retained: it is older than the oldest retained tick, which is 20 (latest 39)');
    expect(() => timeline.get(25)).toThrow(
      'tick 25 is not retained: it was thinned out by retention or never sealed (retention keeps the newest 3 ticks and, before them, only ticks divisible by 10 (2 of them)); nearest retained ticks are 20 and 30; the oldest retained tick is 20, the latest 39',
    );
    expect(() => timeline.get(40)).toThrow(expect.objectContaining({ code: 'TICK_NOT_RETAINED', tick: 40, oldest: 20, latest: 39, before: 39 }));
    expect(() => new Timeline({ retention: { recent: 1 } }).get(0)).toThrow('tick 0 is not retained: the timeline is empty');
  });

  it('after truncateAfter, keyframes inside the recent window stay (rewind, then seal again)', () => {
    // Regression: the window must be refilled from the archive, or sealing 12 would drop 4.
    const { timeline, released } = filled({ recent: 3, every: 4, keepEvery: 1 }, [4, 9, 10, 11]);
    timeline.truncateAfter(9);
    expect(released).toEqual([10, 11]);
    timeline.seal(12, 'frame 12');
    expect(timeline.ticks()).toEqual([4, 9, 12]);
    expect(() => timeline.seal(12, 'again')).toThrow(expect.objectContaining({ code: 'TICK_ORDER' }));
  });

  it('truncateAfter sets the seal bound back; clear releases all and resets it', () => {
    const { timeline, released } = filled({ recent: 5 }, range(0, 5));
    timeline.truncateAfter(2);
    timeline.seal(3, 'replayed 3');
    expect(timeline.get(3)).toBe('replayed 3');
    expect(() => timeline.seal(3, 'x')).toThrow('seal(3): ticks must increase; the last sealed tick is 3');
    timeline.clear();
    expect(released).toEqual([3, 4, 0, 1, 2, 3]);
    expect(timeline.size).toBe(0);
    timeline.seal(0, 'fresh');
    expect(timeline.ticks()).toEqual([0]);
  });

  it('rejects ticks that are not integers ≥ 0', () => {
    const timeline = new Timeline<number>({ retention: { recent: 2 } });
    for (const tick of [-1, 1.5, Number.NaN, Infinity]) expect(() => timeline.seal(tick, 0)).toThrow(expect.objectContaining({ code: 'TICK_INVALID' }));
    expect(() => timeline.truncateAfter(0.5)).toThrow(expect.objectContaining({ code: 'TICK_INVALID' }));
    expect([timeline.has(Number.NaN), timeline.nearestAtOrBefore(Number.NaN)]).toEqual([false, undefined]);
  });

  it('a release that throws surfaces as RELEASE_FAILED with the cause, after the seal took effect', () => {
    const cause = new Error('frame still mapped');
    const timeline = new Timeline<number>({
      retention: { recent: 1 },
      release: () => {
        throw cause;
      },
    });
    timeline.seal(0, 0);
    let error: unknown;
    try {
      timeline.seal(1, 1);
    } catch (e) {
      error = e;
    }
    expect(isLifecycleError(error, 'RELEASE_FAILED')).toBe(true);
    expect((error as Error).cause).toBe(cause);
    expect(timeline.ticks()).toEqual([1]);
  });
});

describe('retention policy', () => {
  it('validates fields and says which one is wrong', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ recent: -1 }, /recent must be an integer ≥ 0, got -1/],
      [{ recent: 1.5 }, /recent must be an integer ≥ 0, got 1.5/],
      [{ recent: 1, every: 0, keepEvery: 1 }, /every must be an integer ≥ 1, got 0/],
      [{ recent: 1, every: 60 }, /every = 60 needs keepEvery/],
      [{ recent: 1, keepEvery: 3 }, /keepEvery = 3 needs every/],
      [{ recent: 1, every: 6, keepEvery: -2 }, /keepEvery must be an integer ≥ 0, got -2/],
      [null, /the policy must be an object/],
    ];
    for (const [policy, message] of bad) {
      expect(() => describeRetention(policy as RetentionPolicy)).toThrow(message);
      expect(() => new Timeline({ retention: policy as RetentionPolicy })).toThrow(expect.objectContaining({ code: 'RETENTION_INVALID' }));
    }
  });

  it('describeRetention is recent + keepEvery', () => {
    expect(describeRetention({ recent: 600 })).toBe(600);
    expect(describeRetention({ recent: 600, every: 60, keepEvery: 60 })).toBe(660);
    expect(describeRetention({ recent: 0, keepEvery: 0 })).toBe(0);
  });
});
