/**
 * The fast paths added for throughput (issue 4 performance work), run against both
 * implementations: `drain` runs that are not capped by the starvation limit when one tier is
 * alone, re-entrant calls from inside `fn`, `drain`'s reused message objects, and `trySendMany`.
 */
import { describe, expect, it } from 'vitest';

import { isChannelError, type Tier } from '../src/index.js';
import { IMPLS, drainAll, msg, seqs, type Msg } from './helpers.js';

const seqOf = (m: Msg): number => (m.type === 'msg' ? m.seq : -1);

describe.each(IMPLS)('$name channel fast paths', ({ create }) => {
  it('a tier that fills during a long run is served within starvationLimit + 2 receipts', () => {
    const limit = 4;
    const ch = create({ capacity: 64, starvationLimit: limit });
    for (let i = 0; i < 60; i++) ch.sender.trySend(msg(i), 'high');
    const order: Tier[] = [];
    let sentAt = -1;
    ch.receiver.drain(1e9, (_m, tier) => {
      order.push(tier);
      if (order.length === 3) {
        sentAt = order.length;
        expect(ch.sender.trySend(msg(1000), 'low')).toBe('ok');
      }
    });
    const servedAt = order.indexOf('low') + 1;
    expect(sentAt).toBe(3);
    expect(servedAt - sentAt).toBeGreaterThan(0);
    expect(servedAt - sentAt).toBeLessThanOrEqual(limit + 2);
    expect(order).toHaveLength(61);
  });

  it('tryRecv from inside drain: every message exactly once, in order', () => {
    const ch = create({ capacity: 16 });
    for (let i = 0; i < 12; i++) ch.sender.trySend(msg(i));
    const got: number[] = [];
    ch.receiver.drain(1e9, (m) => {
      got.push(seqOf(m));
      const r = ch.receiver.tryRecv();
      if (r.status === 'ok') got.push(seqOf(r.value));
    });
    expect(got).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(ch.receiver.tryRecv()).toEqual({ status: 'empty' });
  });

  it('a nested drain inside fn neither duplicates nor overwrites the outer message', () => {
    const ch = create({ capacity: 16 });
    for (let i = 0; i < 10; i++) ch.sender.trySend(msg(i));
    const outer: number[] = [];
    const inner: number[] = [];
    ch.receiver.drain(1e9, (m) => {
      const before = seqOf(m);
      ch.receiver.drain(2, (n) => inner.push(seqOf(n)));
      expect(seqOf(m)).toBe(before); // still the outer message after the nested drain
      outer.push(before);
    });
    expect([...outer, ...inner].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(outer[0]).toBe(0);
    expect(inner.slice(0, 2)).toEqual([1, 2]);
  });

  it('sending to the drained tier from inside fn: nothing lost, FIFO', () => {
    const ch = create({ capacity: 8 });
    for (let i = 0; i < 4; i++) ch.sender.trySend(msg(i));
    const got: number[] = [];
    let next = 4;
    ch.receiver.drain(1e9, (m) => {
      got.push(seqOf(m));
      if (next < 20) ch.sender.trySend(msg(next++));
    });
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('drop-oldest from inside fn during a run evicts the oldest still queued, and the run goes on correctly', () => {
    const ch = create({ capacity: 4, strategy: 'drop-oldest' });
    for (let i = 0; i < 4; i++) ch.sender.trySend(msg(i));
    const got: number[] = [];
    let pushed = false;
    ch.receiver.drain(1e9, (m) => {
      got.push(seqOf(m));
      if (!pushed) {
        pushed = true;
        // Three slots are queued (1, 2, 3); two more sends fill and then overflow the tier.
        ch.sender.trySend(msg(10));
        ch.sender.trySend(msg(11));
      }
    });
    // The shared channel frees a run's slots when the run ends, so it may see the tier fuller
    // (and evict more) than the in-thread one; either way: FIFO, no duplicates, drops counted.
    const dropped = ch.stats().dropped.oldest;
    expect(got[0]).toBe(0);
    expect(new Set(got).size).toBe(got.length);
    expect(got.length + dropped).toBe(6);
    expect(got).toEqual([...got].sort((a, b) => a - b));
  });

  it('drain hands out message objects that are only valid until fn returns; copies are right', () => {
    const ch = create({ capacity: 8 });
    for (let i = 0; i < 6; i++) ch.sender.trySend(msg(i, 7));
    expect(drainAll(ch)).toEqual(Array.from({ length: 6 }, (_, i) => msg(i, 7)));
  });

  it('trySendMany queues in order, stops when full, and leaves the rest to the caller', () => {
    const ch = create({ capacity: 4 });
    const batch = Array.from({ length: 7 }, (_, i) => msg(i));
    expect(ch.sender.trySendMany(batch, 'low')).toBe(4);
    expect(ch.stats().depth.low).toBe(4);
    expect(ch.sender.trySendMany([])).toBe(0);
    expect(seqs(drainAll(ch))).toEqual([0, 1, 2, 3]);
    expect(ch.sender.trySendMany(batch.slice(4), 'low')).toBe(3);
    expect(seqs(drainAll(ch))).toEqual([4, 5, 6]);
  });

  it('trySendMany under drop-newest counts only the first refused message', () => {
    const ch = create({ capacity: 2, strategy: 'drop-newest' });
    expect(ch.sender.trySendMany([msg(0), msg(1), msg(2), msg(3)])).toBe(2);
    expect(ch.stats().dropped.newest).toBe(1);
  });

  it('trySendMany on a closed channel queues nothing', () => {
    const ch = create({ capacity: 4 });
    ch.sender.close();
    expect(ch.sender.trySendMany([msg(0), msg(1)])).toBe(0);
  });
});

describe('shared channel trySendMany errors', () => {
  const shared = IMPLS.find((i) => i.name === 'shared')!;

  it('an unknown record type anywhere in the batch refuses the whole batch before queueing', () => {
    const ch = shared.create({ capacity: 8 });
    const bad = { type: 'nope' } as unknown as Msg;
    expect(() => ch.sender.trySendMany([msg(0), bad, msg(2)])).toThrow(expect.objectContaining({ code: 'CHANNEL_UNKNOWN_RECORD_TYPE' }));
    expect(ch.stats().depth.normal).toBe(0);
  });

  it('an invalid field value throws with the messages before it queued and received, none after', () => {
    const ch = shared.create({ capacity: 8 });
    const bad = { type: 'msg', producer: -1, seq: 1, tier: 0 } as Msg;
    let error: unknown;
    try {
      ch.sender.trySendMany([msg(0), bad, msg(2)]);
    } catch (e) {
      error = e;
    }
    expect(isChannelError(error) && error.code).toBe('CHANNEL_RECORD_INVALID');
    expect(seqs(drainAll(ch))).toEqual([0]);
    // The tombstones were skipped and their slots freed: the ring takes a full batch again.
    expect(ch.sender.trySendMany(Array.from({ length: 8 }, (_, i) => msg(10 + i)))).toBe(8);
    expect(seqs(drainAll(ch))).toEqual(Array.from({ length: 8 }, (_, i) => 10 + i));
  });
});
