/**
 * The sending side of the cross-thread channel. Any number of threads may each hold one (attach
 * the buffer in every producer thread); a `SharedSender` object itself is used by one thread.
 * Waiting for space parks on `Atomics.waitAsync`, never a spin: the receiver bumps W_SPACE_SEQ
 * and notifies whenever it frees slots while S_BLOCKED > 0.
 */
import type { Sender, SendOptions, SendResult, TrySendOutcome } from './channel.js';
import type { RecordCodec, RecordOf, RecordSchema } from './codec.js';
import { ChannelError } from './errors.js';
import { POS_MASK, S_BLOCKED, S_CLOSED, S_DROPPED_NEWEST, S_DROPPED_OLDEST, S_REJECTED, W_CRITICAL_SEQ, W_PARKED, W_RECV_SEQ, W_SPACE_SEQ } from './layout.js';
import { CLOSED, FULL, type SharedRings } from './sharedRings.js';
import { CRITICAL, TIERS, tierIndex, type Tier } from './tiers.js';
import { abortedError } from './waiters.js';

/**
 * Waits until `i32[index]` moves off `seen` or `signal` aborts. A pending `Atomics.waitAsync` does
 * not keep Node's event loop alive, so a thread whose only work is an awaited send/recv would
 * exit mid-wait; a ref'ed timer holds the loop open for the duration of the wait (slow path only).
 * `keepAlive: false` is for the critical watcher, which must not hold a thread open.
 */
export function waitChange(i32: Int32Array, index: number, seen: number, signal: AbortSignal | undefined, keepAlive = true): Promise<string> {
  const wait = Atomics.waitAsync(i32, index, seen);
  if (!wait.async) return Promise.resolve(wait.value);
  if (signal === undefined && !keepAlive) return wait.value;
  return new Promise<string>((resolve) => {
    const timer = keepAlive ? setInterval(() => undefined, 2 ** 30) : undefined;
    const finish = (value: string): void => {
      clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = (): void => finish('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    void wait.value.then(finish);
  });
}

/**
 * How long a blocked `send` or an empty `recv` keeps polling before it parks, and how often it
 * looks. Waking a parked thread costs ~100 µs here (BENCHMARKS.md); with a 4096-slot ring and a
 * producer at ~20 M msgs/s that is long enough for the other side to fill or empty the ring and
 * park too, and the pair then ping-pongs between parked states. Polling shared memory in a tight
 * loop would pull the very cache line the other thread is writing on every look, so the poll
 * looks once per POLL_MS and spins on the local clock in between. A thread that is truly idle
 * (or blocked) parks after SPIN_MS, so an idle channel costs nothing.
 */
export const SPIN_MS = 0.2;
const POLL_MS = 0.002;

/** Calls `ready` every POLL_MS until it returns true or SPIN_MS passed; returns its last answer. */
export function spinUntil(ready: () => boolean): boolean {
  const start = performance.now();
  for (let now = start; now - start < SPIN_MS; ) {
    if (ready()) return true;
    const next = now + POLL_MS;
    while ((now = performance.now()) < next);
  }
  return ready();
}

export class SharedSender<S extends RecordSchema> implements Sender<RecordOf<S>> {
  constructor(
    private readonly rings: SharedRings,
    private readonly codec: RecordCodec<S>,
    private readonly strategy: number,
  ) {}

  trySend(message: RecordOf<S>, tier?: Tier): TrySendOutcome {
    const t = tierIndex(tier);
    this.codec.check(message, this.rings.recordBytes);
    return this.offer(message, t);
  }

  private offer(message: RecordOf<S>, t: number): TrySendOutcome {
    const rings = this.rings;
    for (;;) {
      const pos = rings.reserve(t);
      if (pos >= 0) {
        this.write(message, t, pos);
        return 'ok';
      }
      if (pos === CLOSED) return 'closed';
      if (pos !== FULL) continue;
      switch (this.strategy) {
        case 1:
          Atomics.add(rings.i32, S_DROPPED_NEWEST, 1);
          return 'full';
        case 2: {
          // Evict the oldest record of the tier, then try again.
          const old = rings.claim(t);
          if (old >= 0) {
            rings.release(t, old);
            Atomics.add(rings.i32, S_DROPPED_OLDEST, 1);
          }
          continue;
        }
        case 3:
          Atomics.add(rings.i32, S_REJECTED, 1);
          return 'full';
        default:
          return 'full';
      }
    }
  }

  /**
   * Queues records from the front of `messages`, in order, until the tier is full or the channel
   * closed; returns how many. Runs of free slots are reserved with one compare-and-exchange and
   * published with one atomic store. A full tier is handled as `trySend` would (the strategy
   * counts or evicts) for the first record that does not fit, then the call stops.
   */
  trySendMany(messages: ArrayLike<RecordOf<S>>, tier?: Tier): number {
    const t = tierIndex(tier);
    const codec = this.codec;
    const rings = this.rings;
    const slot = rings.recordBytes;
    const count = messages.length;
    for (let i = 0; i < count; i++) codec.check(messages[i]!, slot);
    let sent = 0;
    while (sent < count) {
      const k = rings.reserveMany(t, count - sent);
      if (k === CLOSED) break;
      if (k === FULL) {
        // One record through the strategy (drop-newest / drop-oldest / error / back-pressure).
        if (this.offer(messages[sent]!, t) !== 'ok') break;
        sent++;
        continue;
      }
      const pos = rings.reserved;
      let i = 0;
      try {
        for (; i < k; i++) codec.encode(messages[sent + i]!, rings.views, rings.offset(t, pos + i), slot);
      } catch (error) {
        // Positions i..k-1 are ours already: tombstones (type 0) the receiver skips.
        for (let j = i; j < k; j++) rings.i32[rings.offset(t, pos + j) >> 2] = 0;
        rings.publishMany(t, pos, k);
        this.afterPublish(t);
        throw error;
      }
      rings.publishMany(t, pos, k);
      this.afterPublish(t);
      sent += k;
    }
    return sent;
  }

  private write(message: RecordOf<S>, t: number, pos: number): void {
    const rings = this.rings;
    const offset = rings.offset(t, pos);
    try {
      this.codec.encode(message, rings.views, offset, rings.recordBytes);
    } catch (error) {
      // The position is already ours: publish a tombstone (type 0) the receiver skips.
      rings.i32[offset >> 2] = 0;
      rings.publish(t, pos);
      throw error;
    }
    // Publish: the one sequentially consistent store of the record (the plain stores of
    // `encode` happen-before it). Inlined rather than rings.publish: this is trySend's hot path.
    const i32 = rings.i32;
    Atomics.store(i32, (offset >> 2) + 1, (pos + 1) & POS_MASK);
    if (t === CRITICAL) this.afterPublish(t);
    // Wake the receiver only when it is parked (see afterPublish).
    else if (Atomics.load(i32, W_PARKED) !== 0) this.afterPublish(t);
  }

  /** Wake-ups after a publish: the critical watcher, and the receiver if it is parked. */
  private afterPublish(t: number): void {
    const i32 = this.rings.i32;
    if (t === CRITICAL) {
      Atomics.add(i32, W_CRITICAL_SEQ, 1);
      Atomics.notify(i32, W_CRITICAL_SEQ);
    }
    // Wake the receiver only when it is parked (one load per publish otherwise). The receiver
    // sets W_PARKED before re-checking the rings, so either it sees this record or we see it parked.
    if (Atomics.load(i32, W_PARKED) !== 0) {
      Atomics.add(i32, W_RECV_SEQ, 1);
      Atomics.notify(i32, W_RECV_SEQ, 1);
    }
  }

  async send(message: RecordOf<S>, options?: SendOptions): Promise<SendResult> {
    const signal = options?.signal;
    const t = tierIndex(options?.tier);
    this.codec.check(message, this.rings.recordBytes);
    const i32 = this.rings.i32;
    let blocked = false;
    try {
      for (;;) {
        if (signal?.aborted === true) throw abortedError(message, signal);
        // Once blocked: announce, read the wake word, then try again. The receiver frees a slot,
        // then reads S_BLOCKED; either it sees us (and bumps the word after the free, so our wait
        // returns at once) or our retry below sees the freed slot. Sequentially consistent atomics.
        const seen = Atomics.load(i32, W_SPACE_SEQ);
        const outcome = this.offer(message, t);
        if (outcome === 'ok') return 'ok';
        if (outcome === 'closed') throw new ChannelError('CHANNEL_CLOSED', 'send on a closed channel', message);
        if (this.strategy === 1) return 'dropped';
        if (this.strategy === 3) throw new ChannelError('CHANNEL_FULL', `tier ${TIERS[t]} is full (strategy error)`, message);
        if (!blocked) {
          blocked = true;
          Atomics.add(i32, S_BLOCKED, 1);
          continue;
        }
        if (spinUntil(() => this.rings.hasFree(t))) continue;
        await waitChange(i32, W_SPACE_SEQ, seen, signal);
      }
    } finally {
      if (blocked) Atomics.sub(i32, S_BLOCKED, 1);
    }
  }

  close(): void {
    closeShared(this.rings);
  }
}

/** Closes the channel and wakes everyone who waits on it. Any thread. */
export function closeShared(rings: SharedRings): void {
  const i32 = rings.i32;
  rings.close();
  Atomics.store(i32, S_CLOSED, 1);
  for (const word of [W_SPACE_SEQ, W_RECV_SEQ, W_CRITICAL_SEQ]) {
    Atomics.add(i32, word, 1);
    Atomics.notify(i32, word);
  }
}
