/**
 * The cross-thread channel: many producer threads, one consumer thread, fixed-size binary records
 * in one `SharedArrayBuffer`. Create it in one thread, send `channel.buffer` to others (postMessage
 * or workerData), and `attachSharedChannel(buffer, codec)` there, as kdbush's `from(data)` does.
 */
import type { Channel, ChannelOptions } from './channel.js';
import type { RecordCodec, RecordOf, RecordSchema } from './codec.js';
import { ChannelError, reportUnhandledError } from './errors.js';
import {
  CONTROL_BYTES,
  FORMAT_VERSION,
  H_CAPACITY,
  H_CODEC_HASH,
  H_CRITICAL_CAPACITY,
  H_MAGIC,
  H_RECEIVER_TAKEN,
  H_RECORD_BYTES,
  H_STARVATION_LIMIT,
  H_STRATEGY,
  H_VERSION,
  MAGIC,
} from './layout.js';
import { resolveOptions } from './options.js';
import { SharedReceiver } from './sharedReceiver.js';
import { ringLayout, SharedRings } from './sharedRings.js';
import { SharedSender } from './sharedSender.js';
import { readChannelStats, type ChannelStats } from './stats.js';

/** Options of {@link createSharedChannel}. */
export interface SharedChannelOptions<S extends RecordSchema> extends ChannelOptions {
  /** The record types; every thread attaches with a codec of the same schema. */
  readonly codec: RecordCodec<S>;
  /** Slot size in bytes (multiple of 8); default the codec's largest record. Larger records are refused at the sender. */
  readonly recordBytes?: number;
}

/** Options of {@link attachSharedChannel}. */
export interface AttachOptions {
  /** Where an error thrown by the critical handler goes (default: re-thrown in a new macrotask). */
  readonly onHandlerError?: (error: unknown, message: unknown) => void;
}

/** A cross-thread channel; `receiver` may be taken by one thread only (see CHANNEL_RECEIVER_TAKEN). */
export interface SharedChannel<T> extends Channel<T> {
  /** The whole channel: control block, sequence words and records. Send it to other threads. */
  readonly buffer: SharedArrayBuffer;
}

function build<S extends RecordSchema>(buffer: SharedArrayBuffer, codec: RecordCodec<S>, onHandlerError: AttachOptions['onHandlerError']): SharedChannel<RecordOf<S>> {
  const head = new Int32Array(buffer, 0, CONTROL_BYTES >> 2);
  const recordBytes = head[H_RECORD_BYTES]!;
  const layout = ringLayout(head[H_CAPACITY]!, head[H_CRITICAL_CAPACITY]!, recordBytes);
  if (layout.totalBytes !== buffer.byteLength) {
    throw new ChannelError('CHANNEL_BAD_BUFFER', `channel buffer is ${buffer.byteLength} bytes; its header describes ${layout.totalBytes}`);
  }
  const rings = new SharedRings(buffer, layout, recordBytes);
  const sender = new SharedSender(rings, codec, head[H_STRATEGY]!);
  let receiver: SharedReceiver<S> | undefined;
  const takeReceiver = (): SharedReceiver<S> => {
    if (receiver !== undefined) return receiver;
    if (Atomics.compareExchange(head, H_RECEIVER_TAKEN, 0, 1) !== 0) {
      throw new ChannelError('CHANNEL_RECEIVER_TAKEN', 'this channel already has a receiver (MPSC: one consumer, one thread)');
    }
    receiver = new SharedReceiver(rings, codec, head[H_STARVATION_LIMIT]!, onHandlerError ?? ((error) => reportUnhandledError(error)));
    return receiver;
  };
  return {
    buffer,
    statsBuffer: buffer,
    sender,
    get receiver() {
      return takeReceiver();
    },
    stats: (): ChannelStats => readChannelStats(head),
  };
}

/** Creates a cross-thread channel in a new `SharedArrayBuffer`. Capacities must be powers of two ≥ 2. */
export function createSharedChannel<S extends RecordSchema>(options: SharedChannelOptions<S> & AttachOptions): SharedChannel<RecordOf<S>> {
  const o = resolveOptions(options, true);
  const recordBytes = options.recordBytes ?? options.codec.recordBytes;
  if (!Number.isInteger(recordBytes) || recordBytes < 8 || recordBytes % 8 !== 0 || recordBytes > 1 << 16) {
    throw new ChannelError('CHANNEL_INVALID_OPTION', `recordBytes must be a multiple of 8 in [8, 65536]; got ${String(recordBytes)}`);
  }
  const layout = ringLayout(o.capacity, o.criticalCapacity, recordBytes);
  const buffer = new SharedArrayBuffer(layout.totalBytes);
  const head = new Int32Array(buffer, 0, CONTROL_BYTES >> 2);
  head[H_MAGIC] = MAGIC;
  head[H_VERSION] = FORMAT_VERSION;
  head[H_RECORD_BYTES] = recordBytes;
  head[H_CAPACITY] = o.capacity;
  head[H_CRITICAL_CAPACITY] = o.criticalCapacity;
  head[H_STRATEGY] = o.strategyCode;
  head[H_STARVATION_LIMIT] = o.starvationLimit;
  head[H_CODEC_HASH] = options.codec.hash;
  new SharedRings(buffer, layout, recordBytes).init();
  return build(buffer, options.codec, options.onHandlerError);
}

/**
 * Rebuilds a channel from its buffer in another thread. Throws CHANNEL_BAD_BUFFER when the buffer
 * is not a channel of this format version, and CHANNEL_INVALID_CODEC when `codec`'s schema differs
 * from the creator's.
 */
export function attachSharedChannel<S extends RecordSchema>(buffer: SharedArrayBuffer, codec: RecordCodec<S>, options: AttachOptions = {}): SharedChannel<RecordOf<S>> {
  if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < CONTROL_BYTES) {
    throw new ChannelError('CHANNEL_BAD_BUFFER', `expected a channel SharedArrayBuffer of at least ${CONTROL_BYTES} bytes`);
  }
  const head = new Int32Array(buffer, 0, CONTROL_BYTES >> 2);
  if (head[H_MAGIC] !== MAGIC) throw new ChannelError('CHANNEL_BAD_BUFFER', `not a channel buffer (magic ${head[H_MAGIC]!.toString(16)}, expected ${MAGIC.toString(16)})`);
  if (head[H_VERSION] !== FORMAT_VERSION) {
    throw new ChannelError('CHANNEL_BAD_BUFFER', `got channel format v${head[H_VERSION]} when expected v${FORMAT_VERSION}`);
  }
  if (head[H_CODEC_HASH] !== codec.hash) {
    throw new ChannelError('CHANNEL_INVALID_CODEC', `codec schema hash ${codec.hash} differs from the channel's ${head[H_CODEC_HASH]}: build both from the same schema`);
  }
  return build(buffer, codec, options.onHandlerError);
}
