/** The contract of the `Channel` interface, run against both implementations. */
import { describe, expect, it } from 'vitest';

import { isChannelError } from '../src/index.js';
import { IMPLS, drainAll, msg, seqs, settle, until } from './helpers.js';

describe.each(IMPLS)('$name channel contract', ({ create }) => {
  it('receives by tier (high, normal, low), FIFO within a tier', () => {
    const ch = create({ capacity: 8 });
    ch.sender.trySend(msg(1), 'low');
    ch.sender.trySend(msg(2), 'normal');
    ch.sender.trySend(msg(3), 'high');
    ch.sender.trySend(msg(4), 'normal');
    ch.sender.trySend(msg(5));
    expect(ch.stats().depth).toEqual({ critical: 0, high: 1, normal: 3, low: 1 });
    const tiers: string[] = [];
    const got: number[] = [];
    ch.receiver.drain(100, (m, tier) => {
      tiers.push(tier);
      got.push(m.type === 'msg' ? m.seq : -1);
    });
    expect(got).toEqual([3, 2, 4, 5, 1]);
    expect(tiers).toEqual(['high', 'normal', 'normal', 'normal', 'low']);
    expect(ch.receiver.tryRecv()).toEqual({ status: 'empty' });
  });

  it('wraps around a tiny ring many times without loss or reordering', () => {
    const ch = create({ capacity: 2 });
    const got: number[] = [];
    for (let i = 0; i < 1000; i++) {
      expect(ch.sender.trySend(msg(i))).toBe('ok');
      if (i % 2 === 1) got.push(...seqs(drainAll(ch)));
    }
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('says full at capacity under back-pressure and hands the message back', () => {
    const ch = create({ capacity: 2 });
    expect(ch.sender.trySend(msg(1))).toBe('ok');
    expect(ch.sender.trySend(msg(2))).toBe('ok');
    expect(ch.sender.trySend(msg(3))).toBe('full');
    expect(ch.sender.trySend(msg(4), 'high')).toBe('ok');
    expect(ch.stats().dropped).toEqual({ newest: 0, oldest: 0 });
  });

  it('back-pressure: send waits at capacity, counts blocked senders, resumes in order when drained', async () => {
    const ch = create({ capacity: 2 });
    const done: number[] = [];
    const sends = [1, 2, 3, 4, 5].map((i) => ch.sender.send(msg(i)).then(() => done.push(i)));
    await until(() => done.length >= 2 && ch.stats().blockedSenders === 3, 'two sends done, three blocked');
    await settle();
    expect(done).toEqual([1, 2]);
    expect(ch.stats().blockedSenders).toBe(3);
    expect(ch.stats().depth.normal).toBe(2);
    const got = seqs(drainAll(ch));
    await until(() => {
      got.push(...seqs(drainAll(ch)));
      return got.length >= 5;
    }, 'the blocked sends delivered');
    await Promise.all(sends);
    expect(got).toEqual([1, 2, 3, 4, 5]);
    expect(ch.stats().blockedSenders).toBe(0);
  });

  it('abort: a blocked send rejects with CHANNEL_ABORTED, hands the message back and is not queued', async () => {
    const ch = create({ capacity: 2 });
    ch.sender.trySend(msg(1));
    ch.sender.trySend(msg(2));
    const ac = new AbortController();
    const pending = ch.sender.send(msg(3), { signal: ac.signal });
    await settle();
    ac.abort(new Error('stop'));
    const error = await pending.catch((e: unknown) => e);
    expect(isChannelError(error, 'CHANNEL_ABORTED')).toBe(true);
    expect((error as { value: unknown }).value).toEqual(msg(3));
    expect(seqs(drainAll(ch))).toEqual([1, 2]);
    expect(ch.stats().blockedSenders).toBe(0);
    await expect(ch.sender.send(msg(4), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'CHANNEL_ABORTED' });
    const recvAc = new AbortController();
    const recv = ch.receiver.recv({ signal: recvAc.signal });
    recvAc.abort();
    await expect(recv).rejects.toMatchObject({ code: 'CHANNEL_ABORTED' });
    expect(ch.sender.trySend(msg(5))).toBe('ok');
    expect(seqs(drainAll(ch))).toEqual([5]);
  });

  it('close: no new sends, what was sent is received, then closed; blocked and waiting calls settle', async () => {
    const ch = create({ capacity: 2 });
    ch.sender.trySend(msg(1));
    ch.sender.trySend(msg(2));
    ch.sender.trySend(msg(6), 'low');
    const blocked = ch.sender.send(msg(3));
    ch.sender.close();
    expect(ch.sender.trySend(msg(4))).toBe('closed');
    const error = await blocked.catch((e: unknown) => e);
    expect(isChannelError(error, 'CHANNEL_CLOSED')).toBe(true);
    expect((error as { value: unknown }).value).toEqual(msg(3));
    await expect(ch.sender.send(msg(5))).rejects.toMatchObject({ code: 'CHANNEL_CLOSED', value: msg(5) });
    expect(ch.stats().closed).toBe(true);
    const first = await ch.receiver.recv();
    expect(first).toMatchObject({ status: 'ok', value: msg(1), tier: 'normal' });
    expect(ch.receiver.tryRecv()).toMatchObject({ status: 'ok', value: msg(2), tier: 'normal' });
    expect(ch.receiver.tryRecv()).toMatchObject({ status: 'ok', value: msg(6), tier: 'low' });
    expect(ch.receiver.tryRecv()).toEqual({ status: 'closed' });
    expect(await ch.receiver.recv()).toEqual({ status: 'closed' });
  });

  it('close wakes a receiver waiting on an empty channel', async () => {
    const ch = create({ capacity: 2 });
    const pending = ch.receiver.recv();
    await settle();
    ch.receiver.close();
    expect(await pending).toEqual({ status: 'closed' });
  });

  it('recv waits for a message', async () => {
    const ch = create({ capacity: 2 });
    const pending = ch.receiver.recv();
    await settle();
    ch.sender.trySend(msg(7), 'high');
    expect(await pending).toMatchObject({ status: 'ok', value: msg(7), tier: 'high' });
  });

  it('drop-newest refuses exactly the new messages of a full tier and counts them', async () => {
    const ch = create({ capacity: 4, strategy: 'drop-newest' });
    const outcomes = [1, 2, 3, 4, 5, 6].map((i) => ch.sender.trySend(msg(i)));
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'full', 'full']);
    expect(await ch.sender.send(msg(7))).toBe('dropped');
    expect(ch.stats().dropped).toEqual({ newest: 3, oldest: 0 });
    expect(seqs(drainAll(ch))).toEqual([1, 2, 3, 4]);
  });

  it('drop-oldest evicts exactly the oldest messages of the tier and counts them', async () => {
    const ch = create({ capacity: 4, strategy: 'drop-oldest' });
    for (let i = 1; i <= 6; i++) expect(ch.sender.trySend(msg(i))).toBe('ok');
    expect(await ch.sender.send(msg(7))).toBe('ok');
    ch.sender.trySend(msg(100), 'low');
    expect(ch.stats().dropped).toEqual({ newest: 0, oldest: 3 });
    expect(seqs(drainAll(ch))).toEqual([4, 5, 6, 7, 100]);
  });

  it('error strategy: trySend says full and counts, send rejects with CHANNEL_FULL', async () => {
    const ch = create({ capacity: 2, strategy: 'error' });
    ch.sender.trySend(msg(1));
    ch.sender.trySend(msg(2));
    expect(ch.sender.trySend(msg(3))).toBe('full');
    await expect(ch.sender.send(msg(4))).rejects.toMatchObject({ code: 'CHANNEL_FULL', value: msg(4) });
    expect(ch.stats().rejected).toBe(2);
    expect(seqs(drainAll(ch))).toEqual([1, 2]);
  });

  it('starvation guard: a steady high stream cannot starve low; measured gap ≤ limit + 2', () => {
    const limit = 8;
    const ch = create({ capacity: 64, starvationLimit: limit });
    for (let i = 0; i < 20; i++) ch.sender.trySend(msg(i), 'low');
    for (let i = 0; i < 10; i++) ch.sender.trySend(msg(i), 'normal');
    let high = 0;
    let since = 0;
    let worstGap = 0;
    const served = { high: 0, normal: 0, low: 0 };
    for (let r = 0; r < 400; r++) {
      while (ch.stats().depth.high < 16) ch.sender.trySend(msg(high++), 'high'); // steady stream
      const got = ch.receiver.tryRecv();
      if (got.status !== 'ok') throw new Error('expected a message');
      served[got.tier as 'high' | 'normal' | 'low']++;
      if (got.tier === 'low') {
        worstGap = Math.max(worstGap, since);
        since = 0;
      } else if (ch.stats().depth.low > 0) since++;
    }
    expect(served.low).toBe(20);
    expect(served.normal).toBe(10);
    expect(worstGap).toBeLessThanOrEqual(limit + 2);
    expect(ch.stats().starvationPromotions).toBeGreaterThan(0);
  });

  it('drain: when fn throws, that message counts as received and the rest stay queued in order', () => {
    const ch = create({ capacity: 8 });
    for (let i = 1; i <= 5; i++) ch.sender.trySend(msg(i));
    let calls = 0;
    expect(() =>
      ch.receiver.drain(10, () => {
        if (++calls === 2) throw new Error('handler failed');
      }),
    ).toThrow('handler failed');
    expect(seqs(drainAll(ch))).toEqual([3, 4, 5]);
    ch.sender.close();
    expect(ch.receiver.tryRecv()).toEqual({ status: 'closed' });
  });

  it('critical lane: without a handler, critical messages come before everything else', () => {
    const ch = create({ capacity: 4 });
    ch.sender.trySend(msg(1), 'high');
    ch.sender.trySend(msg(2), 'critical');
    ch.sender.trySend(msg(3), 'critical');
    const order: string[] = [];
    ch.receiver.drain(10, (m, tier) => {
      order.push(`${tier}:${m.type === 'msg' ? m.seq : -1}`);
      if (order.length === 1) ch.sender.trySend(msg(4), 'critical'); // sent while busy: read next
    });
    expect(order).toEqual(['critical:2', 'critical:3', 'critical:4', 'high:1']);
  });

  it('critical lane: a registered handler gets critical messages ahead of queued ones', async () => {
    const ch = create({ capacity: 4 });
    const seen: number[] = [];
    ch.sender.trySend(msg(1), 'normal');
    ch.receiver.onCritical((m) => seen.push(m.type === 'msg' ? m.seq : -1));
    ch.sender.trySend(msg(10), 'critical');
    await until(() => seen.length > 0, 'the critical handler called');
    expect(seen).toEqual([10]);
    expect(ch.stats().criticalDirect).toBe(1);
    const order: string[] = [];
    ch.receiver.drain(10, (m, tier) => {
      order.push(`${tier}:${m.type === 'msg' ? m.seq : -1}`);
      ch.sender.trySend(msg(11), 'critical'); // busy: waits in the slot, read before the next message
    });
    expect(order).toEqual(['normal:1']);
    await until(() => seen.length > 1, 'the critical handler called again');
    expect(seen).toEqual([10, 11]);
    ch.receiver.onCritical(null);
    ch.sender.trySend(msg(12), 'critical');
    expect(ch.receiver.tryRecv()).toMatchObject({ status: 'ok', tier: 'critical', value: msg(12) });
  });

  it('a throwing critical handler does not reach the sender; the error goes to onHandlerError', async () => {
    const errors: unknown[] = [];
    const ch = create({ capacity: 2, onHandlerError: (e) => errors.push(e) });
    ch.receiver.onCritical(() => {
      throw new Error('boom');
    });
    expect(ch.sender.trySend(msg(1), 'critical')).toBe('ok');
    await until(() => errors.length > 0, 'onHandlerError called');
    expect(errors).toHaveLength(1);
  });

  it('rejects bad options and tiers with typed errors', () => {
    expect(() => create({ capacity: 0 })).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_OPTION' }));
    expect(() => create({ capacity: 2, strategy: 'nope' as never })).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_OPTION' }));
    const ch = create({ capacity: 2 });
    expect(() => ch.sender.trySend(msg(1), 'urgent' as never)).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_OPTION' }));
  });
});
