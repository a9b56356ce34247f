/**
 * The in-thread channel's public face: the `Sender` and `Receiver` roles over one `LocalCore`,
 * and the factory. Every method must be called on the thread that created the channel; only
 * `readChannelStats(statsBuffer)` may run elsewhere.
 */
import type { Channel, CriticalHandler, Receiver, RecvOptions, RecvResult, Sender, SendOptions, SendResult, TryRecvResult, TrySendOutcome } from './channel.js';
import { LocalCore, type LocalChannelOptions } from './localCore.js';
import { readChannelStats, type ChannelStats } from './stats.js';
import { NORMAL, tierIndex, type Tier } from './tiers.js';

export type { LocalChannelOptions } from './localCore.js';

class LocalSender<T> implements Sender<T> {
  constructor(private readonly core: LocalCore<T>) {}
  trySend(message: T, tier?: Tier): TrySendOutcome {
    return this.core.trySend(message, tier === undefined ? NORMAL : tierIndex(tier));
  }
  trySendMany(messages: ArrayLike<T>, tier?: Tier): number {
    const core = this.core;
    const t = tier === undefined ? NORMAL : tierIndex(tier);
    const count = messages.length;
    let i = 0;
    while (i < count && core.trySend(messages[i]!, t) === 'ok') i++;
    return i;
  }
  send(message: T, options?: SendOptions): Promise<SendResult> {
    return this.core.send(message, options);
  }
  close(): void {
    this.core.close();
  }
}

class LocalReceiver<T> implements Receiver<T> {
  constructor(private readonly core: LocalCore<T>) {}
  tryRecv(): TryRecvResult<T> {
    return this.core.tryRecv();
  }
  recv(options?: RecvOptions): Promise<RecvResult<T>> {
    return this.core.recv(options);
  }
  drain(max: number, fn: (message: T, tier: Tier) => void): number {
    return this.core.drain(max, fn);
  }
  onCritical(handler: CriticalHandler<T> | null): void {
    this.core.onCritical(handler);
  }
  close(): void {
    this.core.close();
  }
}

/**
 * Creates an in-thread channel: any JavaScript values, one thread. For messages between threads
 * use `createSharedChannel`.
 */
export function createLocalChannel<T>(options: LocalChannelOptions): Channel<T> {
  const core = new LocalCore<T>(options);
  const statsBuffer = core.ctl.buffer as SharedArrayBuffer;
  return {
    sender: new LocalSender(core),
    receiver: new LocalReceiver(core),
    statsBuffer,
    stats: (): ChannelStats => readChannelStats(core.ctl),
  };
}
