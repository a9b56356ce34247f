import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ActorSupervisionGroup, type GroupState } from '../src/index.js';

const policy = { restart: 'permanent', backoff: { kind: 'exponential', min: 1, max: 16, jitter: 0.5, resetAfter: 40 }, maxRestarts: 3, within: 10 } as const;

describe('ActorSupervisionGroup save/restore', () => {
  for (const capacity of [16, 9000]) {
    it(`restoring any of several saved states decides exactly as the group did from that moment (capacity ${capacity})`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat({ max: capacity - 1 }), fc.nat({ max: 3 }), fc.boolean()), { maxLength: 60 }),
          fc.nat(),
          fc.boolean(),
          (failures, pick, trim) => {
            const group = new ActorSupervisionGroup({ capacity, policy, seed: 3, groupIntensity: { maxRestarts: 30, within: 20 } });
            const decisions: string[] = [];
            const saves: { state: GroupState; at: number; tick: number }[] = [];
            let tick = 0;
            failures.forEach(([slot, gap, save], i) => {
              if (save) saves.push({ state: group.save(), at: i, tick });
              tick += gap;
              decisions.push(JSON.stringify(group.recordFailure(slot, tick)));
            });
            if (saves.length === 0) return;
            const chosen = saves[pick % saves.length]!;
            if (trim) group.trimBefore(chosen.state); // trimming older states keeps this one restorable
            group.restore(chosen.state);
            tick = chosen.tick;
            failures.slice(chosen.at).forEach(([slot, gap], i) => {
              tick += gap;
              expect(JSON.stringify(group.recordFailure(slot, tick))).toBe(decisions[chosen.at + i]);
            });
            // A state newer than the one restored is gone with the future it described.
            const newer = saves.find((s) => s.state.version > chosen.state.version);
            if (newer) expect(() => group.restore(newer.state)).toThrowError(expect.objectContaining({ code: 'SUPERVISOR_INVALID_ARGUMENT' }));
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it('a trimmed state cannot be restored; the log holds only what restorable states need', () => {
    const group = new ActorSupervisionGroup({ capacity: 100, policy });
    const first = group.save();
    group.recordFailure(1, 1);
    const second = group.save();
    group.recordFailure(2, 2);
    group.recordFailure(3, 3);
    expect(group.loggedWrites).toBe(3);
    group.trimBefore(second);
    expect(group.loggedWrites).toBe(2);
    expect(() => group.restore(first)).toThrowError(/cannot be restored/);
    group.restore(second);
    expect(group.suspendedUntil(2)).toBe(0);
    expect(group.suspendedUntil(1)).toBeGreaterThan(0);
  });
});

describe('ActorSupervisionGroup toBytes/loadBytes', () => {
  it('a group loaded from bytes decides exactly as the one that stored them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 8999 }), fc.nat({ max: 3 })), { maxLength: 80 }), fc.nat({ max: 80 }), (failures, cut) => {
        const group = new ActorSupervisionGroup({ capacity: 9000, policy, seed: 3, groupIntensity: { maxRestarts: 30, within: 20 } });
        let tick = 0;
        const decisions: string[] = [];
        let stored: Uint8Array | undefined;
        failures.forEach(([slot, gap], i) => {
          if (i === cut) stored = group.toBytes();
          tick += gap;
          decisions.push(JSON.stringify(group.recordFailure(slot, tick)));
        });
        if (!stored) return;
        const loaded = new ActorSupervisionGroup({ capacity: 1, policy, seed: 3, groupIntensity: { maxRestarts: 30, within: 20 } });
        loaded.loadBytes(stored);
        expect(loaded.capacity).toBe(9000);
        tick = failures.slice(0, cut).reduce((t, [, gap]) => t + gap, 0);
        failures.slice(cut).forEach(([slot, gap], i) => {
          tick += gap;
          expect(JSON.stringify(loaded.recordFailure(slot, tick))).toBe(decisions[cut + i]);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses bytes that are not a stored group state', () => {
    const group = new ActorSupervisionGroup({ capacity: 4, policy });
    expect(() => group.loadBytes(new Uint8Array(7))).toThrowError(expect.objectContaining({ code: 'SUPERVISOR_INVALID_ARGUMENT' }));
    const bytes = group.toBytes();
    new Uint32Array(bytes.buffer)[0] = 99;
    expect(() => group.loadBytes(bytes)).toThrowError(/format 99/);
  });
});
