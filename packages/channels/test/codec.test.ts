/** The record codec and attaching a cross-thread channel from its buffer. */
import { describe, expect, it } from 'vitest';

import { attachSharedChannel, createSharedChannel, defineRecordCodec } from '../src/index.js';
import { codec } from './helpers.js';

describe('record codec', () => {
  it('round-trips every field kind through the ring', () => {
    const c = defineRecordCodec({ all: { a: 'i32', b: 'u32', c: 'f32', d: 'f64' }, empty: {} });
    const ch = createSharedChannel({ capacity: 2, codec: c });
    ch.sender.trySend({ type: 'all', a: -5, b: 4_000_000_000, c: 1.5, d: Math.PI });
    ch.sender.trySend({ type: 'empty' });
    expect(ch.receiver.tryRecv()).toMatchObject({ value: { type: 'all', a: -5, b: 4_000_000_000, c: 1.5, d: Math.PI } });
    expect(ch.receiver.tryRecv()).toMatchObject({ value: { type: 'empty' } });
    expect(c.sizes).toEqual({ all: 32, empty: 8 });
  });

  it('refuses at the sender, with typed errors: unknown type, too large, value out of range; the ring stays usable', () => {
    const ch = createSharedChannel({ capacity: 2, codec, recordBytes: 24 });
    expect(() => ch.sender.trySend({ type: 'nope' } as never)).toThrow(expect.objectContaining({ code: 'CHANNEL_UNKNOWN_RECORD_TYPE' }));
    expect(() => ch.sender.trySend({ type: 'pos', id: 1, x: 0, y: 0, z: 0 })).toThrow(expect.objectContaining({ code: 'CHANNEL_RECORD_TOO_LARGE' }));
    expect(() => ch.sender.trySend({ type: 'msg', producer: -1, seq: 0, tier: 0 })).toThrow(expect.objectContaining({ code: 'CHANNEL_RECORD_INVALID' }));
    expect(() => ch.sender.trySend({ type: 'msg', producer: 0, seq: 0, tier: 1.5 })).toThrow(expect.objectContaining({ code: 'CHANNEL_RECORD_INVALID' }));
    // A bad field value is found after the slot was reserved: it holds a tombstone the receiver skips.
    expect(ch.receiver.tryRecv()).toEqual({ status: 'empty' });
    expect(ch.sender.trySend({ type: 'msg', producer: 1, seq: 2, tier: 3 })).toBe('ok');
    expect(ch.receiver.tryRecv()).toMatchObject({ status: 'ok', value: { type: 'msg', producer: 1, seq: 2, tier: 3 } });
    expect(ch.receiver.tryRecv()).toEqual({ status: 'empty' });
  });

  it('rejects bad schemas', () => {
    expect(() => defineRecordCodec({})).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_CODEC' }));
    expect(() => defineRecordCodec({ a: { type: 'i32' } })).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_CODEC' }));
    expect(() => defineRecordCodec({ a: { 'x-y': 'i32' } })).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_CODEC' }));
    expect(() => defineRecordCodec({ a: { x: 'i64' as never } })).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_CODEC' }));
  });
});

describe('attachSharedChannel', () => {
  it('rebuilds the same channel from its buffer; only one receiver may be taken', () => {
    const ch = createSharedChannel({ capacity: 4, codec });
    const other = attachSharedChannel(ch.buffer, codec);
    other.sender.trySend({ type: 'msg', producer: 9, seq: 1, tier: 0 }, 'high');
    expect(ch.stats().depth.high).toBe(1);
    expect(ch.receiver.tryRecv()).toMatchObject({ value: { producer: 9 }, tier: 'high' });
    expect(() => other.receiver).toThrow(expect.objectContaining({ code: 'CHANNEL_RECEIVER_TAKEN' }));
  });

  it('refuses foreign buffers, other versions and other schemas', () => {
    const ch = createSharedChannel({ capacity: 2, codec });
    expect(() => attachSharedChannel(new SharedArrayBuffer(8), codec)).toThrow(expect.objectContaining({ code: 'CHANNEL_BAD_BUFFER' }));
    expect(() => attachSharedChannel(new SharedArrayBuffer(4096), codec)).toThrow(expect.objectContaining({ code: 'CHANNEL_BAD_BUFFER' }));
    expect(() => attachSharedChannel(ch.buffer, defineRecordCodec({ other: { a: 'i32' } }))).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_CODEC' }));
    new Int32Array(ch.buffer)[1] = 99;
    expect(() => attachSharedChannel(ch.buffer, codec)).toThrow(/got channel format v99 when expected v1/);
  });

  it('needs power-of-two capacities', () => {
    expect(() => createSharedChannel({ capacity: 3, codec })).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_OPTION' }));
    expect(() => createSharedChannel({ capacity: 1, codec })).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_OPTION' }));
  });
});
