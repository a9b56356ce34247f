import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ActorSupervisionGroup, type GroupState } from '../src/index.js';

const policy = { restart: 'permanent', backoff: { kind: 'exponential', min: 1, max: 16, jitter: 0.5, resetAfter: 40 }, maxRestarts: 3, within: 10 } as const;

describe('ActorSupervisionGroup save/restore', () => {
  for (const capacity of [16, 9000]) it(`a restored state decides exactly as the group did from that moment, and saving never changes a saved state (capacity ${capacity})`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: capacity - 1 }), fc.nat({ max: 3 })), { maxLength: 60 }),
        fc.nat({ max: 60 }),
        (failures, cut) => {
          const group = new ActorSupervisionGroup({ capacity, policy, seed: 3, groupIntensity: { maxRestarts: 30, within: 20 } });
          const decisions: string[] = [];
          let saved: GroupState | undefined;
          let tick = 0;
          failures.forEach(([slot, gap], i) => {
            if (i === cut) saved = group.save();
            tick += gap;
            decisions.push(JSON.stringify(group.recordFailure(slot, tick)));
          });
          if (!saved) return;
          const frozen = JSON.stringify(saved.chunks.map((c) => [c.until, c.windowStart, c.count, c.exponent].map((col) => Array.from(col))));
          group.restore(saved);
          tick = failures.slice(0, cut).reduce((t, [, gap]) => t + gap, 0);
          failures.slice(cut).forEach(([slot, gap], i) => {
            tick += gap;
            expect(JSON.stringify(group.recordFailure(slot, tick))).toBe(decisions[cut + i]);
          });
          expect(JSON.stringify(saved.chunks.map((c) => [c.until, c.windowStart, c.count, c.exponent].map((col) => Array.from(col))))).toBe(frozen);
        },
      ),
      { numRuns: 300 },
    );
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
