/** Shared test helpers: one record schema, and a factory per implementation under test. */
import { createLocalChannel, createSharedChannel, defineRecordCodec, type Channel, type ChannelOptions, type RecordOf } from '../src/index.js';

export const codec = defineRecordCodec({
  msg: { producer: 'u32', seq: 'u32', tier: 'i32' },
  pos: { id: 'u32', x: 'f64', y: 'f64', z: 'f64' },
});
export type Msg = RecordOf<typeof codec.schema>;

export interface Impl {
  readonly name: string;
  /** Rounds `capacity` up to what the implementation accepts. */
  readonly create: (options: ChannelOptions & { onHandlerError?: (e: unknown) => void }) => Channel<Msg>;
}

const pow2 = (n: number): number => (n < 1 ? n : 2 ** Math.ceil(Math.log2(Math.max(2, n)))); // keep invalid values invalid

export const IMPLS: readonly Impl[] = [
  { name: 'local', create: (o) => createLocalChannel<Msg>(o) },
  {
    name: 'shared',
    create: (o) =>
      createSharedChannel({
        ...o,
        capacity: pow2(o.capacity),
        ...(o.criticalCapacity !== undefined ? { criticalCapacity: pow2(o.criticalCapacity) } : {}),
        codec,
      }),
  },
];

export const msg = (seq: number, producer = 0, tier = 0): Msg => ({ type: 'msg', producer, seq, tier });

/** Receives everything currently queued, in receive order. */
export function drainAll(channel: Channel<Msg>): Msg[] {
  const out: Msg[] = [];
  channel.receiver.drain(1e9, (m) => out.push({ ...m }));
  return out;
}

export const seqs = (list: readonly Msg[]): number[] => list.map((m) => (m.type === 'msg' ? m.seq : -1));

/** Lets waitAsync wake-ups and promise chains run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * Waits until `done()` holds, letting wake-ups run in between. A loaded machine delays a
 * cross-thread wake-up by any amount, so tests wait for the outcome, not for a fixed time; the
 * 30 s limit only turns a hang into a failure.
 */
export async function until(done: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const began = Date.now();
  while (!done()) {
    if (Date.now() - began > limitMs) throw new Error(`still waiting after ${limitMs} ms: ${what}`);
    await settle();
  }
}
