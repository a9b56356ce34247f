/**
 * Properties over both implementations, against a plain model (per-tier arrays): no loss, no
 * duplication, FIFO per tier, every drop counted, depth as the model says — over random
 * capacities, strategies, tiers and send/receive interleavings. The fast-check seed is printed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { OverflowStrategy, Tier } from '../src/index.js';
import { IMPLS, msg, type Msg } from './helpers.js';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`fast-check seed ${SEED} (set FC_SEED to replay)`);
const params = { seed: SEED, numRuns: 150 };

const tierArb = fc.constantFrom<Tier>('critical', 'high', 'normal', 'low');
const opArb = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), tier: tierArb }),
  fc.record({ kind: fc.constant('recv' as const) }),
  fc.record({ kind: fc.constant('sendMany' as const), tier: tierArb, count: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('drain' as const), max: fc.integer({ min: 1, max: 9 }) }),
);
const strategyArb = fc.constantFrom<OverflowStrategy>('back-pressure', 'drop-newest', 'drop-oldest', 'error');

describe.each(IMPLS)('$name channel properties', ({ name, create }) => {
  it('matches a per-tier FIFO model: nothing lost, duplicated or reordered; drops counted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), strategyArb, fc.array(opArb, { maxLength: 120 }), (exp, strategy, ops) => {
        const capacity = name === 'shared' ? 2 ** exp : exp + 1;
        const ch = create({ capacity, criticalCapacity: capacity, strategy, starvationLimit: 3 });
        const model: Record<Tier, number[]> = { critical: [], high: [], normal: [], low: [] };
        let seq = 0;
        let droppedNewest = 0;
        let droppedOldest = 0;
        let sends = 0; // messages offered to the channel (trySendMany stops after the first refused)
        const received: { seq: number; tier: Tier }[] = [];
        const take = (m: Msg, tier: Tier): void => {
          if (m.type !== 'msg') throw new Error('unexpected record');
          received.push({ seq: m.seq, tier });
          expect(model[tier].shift()).toBe(m.seq); // FIFO within the tier, exactly once
        };
        for (const op of ops) {
          if (op.kind === 'sendMany') {
            // trySendMany ≡ trySend in a loop that stops at the first message not queued.
            const batch = Array.from({ length: op.count }, (_, i) => msg(seq + i));
            const queued = ch.sender.trySendMany(batch, op.tier);
            let expected = 0;
            for (const m of batch) {
              const s = m.type === 'msg' ? m.seq : -1;
              if (model[op.tier].length < capacity) model[op.tier].push(s);
              else if (strategy === 'drop-oldest') {
                model[op.tier].shift();
                model[op.tier].push(s);
                droppedOldest++;
              } else {
                if (strategy === 'drop-newest') droppedNewest++;
                break;
              }
              expected++;
            }
            expect(queued).toBe(expected);
            sends += Math.min(op.count, expected + 1);
            seq += op.count;
          } else if (op.kind === 'send') {
            sends++;
            const s = seq++;
            const outcome = ch.sender.trySend(msg(s), op.tier);
            const full = model[op.tier].length === capacity;
            if (!full) {
              expect(outcome).toBe('ok');
              model[op.tier].push(s);
            } else if (strategy === 'drop-oldest') {
              expect(outcome).toBe('ok');
              model[op.tier].shift();
              model[op.tier].push(s);
              droppedOldest++;
            } else {
              expect(outcome).toBe('full');
              if (strategy === 'drop-newest') droppedNewest++;
            }
          } else if (op.kind === 'recv') {
            const r = ch.receiver.tryRecv();
            if (r.status === 'ok') take(r.value, r.tier);
            else expect(Object.values(model).every((q) => q.length === 0)).toBe(true);
          } else {
            ch.receiver.drain(op.max, take);
          }
          const depth = ch.stats().depth;
          for (const tier of ['critical', 'high', 'normal', 'low'] as const) expect(depth[tier]).toBe(model[tier].length);
        }
        // Critical before the rest whenever both were queued: critical never follows another tier
        // while the model still held a critical message — checked by draining what is left.
        const rest: Tier[] = [];
        ch.receiver.drain(1e9, (m, tier) => {
          take(m, tier);
          rest.push(tier);
        });
        if (rest.includes('critical')) expect(rest.indexOf('critical')).toBe(0);
        const stats = ch.stats();
        expect(stats.dropped).toEqual({ newest: droppedNewest, oldest: droppedOldest });
        expect(stats.rejected).toBe(strategy === 'error' ? sends - received.length - droppedOldest : 0);
      }),
      params,
    );
  });

  it('concurrent send/recv promises in any interleaving: exactly once, FIFO per producer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 6 }), async (s, exp, perProducer) => {
        const ch = create({ capacity: 2 ** exp });
        const producers = 3;
        const total = producers * perProducer;
        const sends = Array.from({ length: producers }, (_, p) =>
          (async () => {
            for (let i = 0; i < perProducer; i++) {
              await s.schedule(Promise.resolve(), `send p${p}#${i}`); // fast-check picks when each call is issued
              await ch.sender.send(msg(i, p));
            }
          })(),
        );
        const got: Msg[] = [];
        const consumer = (async () => {
          while (got.length < total) {
            await s.schedule(Promise.resolve(), 'recv');
            const r = await ch.receiver.recv();
            if (r.status === 'ok') got.push({ ...r.value });
          }
        })();
        // Release scheduled resolutions one at a time, in the order fast-check picks; between
        // them let real wake-ups (Atomics.waitAsync of the shared channel) arrive.
        let done = false;
        const all = Promise.all([...sends, consumer]).then(() => (done = true));
        let spins = 0;
        while (!done) {
          if (spins++ > 100_000) throw new Error(`stuck: got ${got.length}/${total}, pending ${s.count()}, stats ${JSON.stringify(ch.stats())}`);
          if (s.count() > 0) await s.waitOne();
          else await new Promise((resolve) => setImmediate(resolve));
        }
        await all;
        const next = new Map<number, number>();
        for (const m of got) {
          if (m.type !== 'msg') throw new Error('unexpected record');
          expect(m.seq).toBe(next.get(m.producer) ?? 0);
          next.set(m.producer, m.seq + 1);
        }
        expect(got).toHaveLength(total);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
