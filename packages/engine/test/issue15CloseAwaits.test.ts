/**
 * Issue 15 item 5: `close()` awaits everything the snapshot writer queued — writes, the compaction
 * a write starts, and what that compaction does next — and closes the store only after. Before,
 * a compaction following the last write in flight asked the store for its ticks after close() had
 * closed it: an unhandled SNAPSHOT_CLOSED crashed `concurrengine run` at exit.
 *
 * The same for the infrastructure supervisor: stopping it while a service is still starting
 * waits for that start and stops what it brought up (before, that stop ran after, unawaited).
 *
 * The store here is a memory store behind a serial queue (the file store's call-order contract)
 * whose writes of chosen ticks wait until the test releases them: no timing is involved.
 */
import { createMemorySnapshotStore, SnapshotError, type SnapshotStore } from '@concurrengine/snapshot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
import { startInfrastructure } from '../src/infrastructure.js';
import { populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;

interface GatedStore extends SnapshotStore {
  /** Every call in the order the store ran it, `close` included; `… rejected` for calls after close. */
  readonly log: string[];
  /** Lets the held write of `tick` go on. */
  release(tick: number): void;
}

/** A serial store whose writes of `held` ticks wait for `release`, and whose `compact` can fail. */
function gatedStore(held: readonly number[], failCompact = false): GatedStore {
  const inner = createMemorySnapshotStore();
  const gates = new Map<number, () => void>();
  const waits = new Map(held.map((tick) => [tick, new Promise<void>((resolve) => gates.set(tick, resolve))]));
  const log: string[] = [];
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  const run = <T>(name: string, op: () => Promise<T>): Promise<T> => {
    if (closed) {
      log.push(`${name} rejected`);
      return Promise.reject(new SnapshotError('SNAPSHOT_CLOSED', 'the gated store is closed'));
    }
    const result = tail.then(async () => {
      log.push(name);
      return op();
    });
    tail = result.catch(() => undefined);
    return result;
  };
  return {
    log,
    release: (tick) => gates.get(tick)?.(),
    writeTick: (input) => run(`write ${input.tick}`, async () => (await waits.get(input.tick), inner.writeTick(input))),
    readTick: (tick) => run(`read ${tick}`, () => inner.readTick(tick)),
    listTicks: () => run('list', () => inner.listTicks()),
    latest: () => run('latest', () => inner.latest()),
    verify: () => run('verify', () => inner.verify()),
    compact: (options) => run('compact', () => (failCompact ? Promise.reject(new SnapshotError('SNAPSHOT_IO', 'compact: EIO', { errno: 'EIO', path: '/x', operation: 'rename' } as never)) : inner.compact(options))),
    stats: () => run('stats', () => inner.stats()),
    async close() {
      // As the file store: later calls are refused at once, the ones issued before run first.
      closed = true;
      await tail;
      log.push('close');
      await inner.close();
    },
  };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => void process.off('unhandledRejection', onUnhandled));
/** Lets a rejection nobody handled reach `unhandledRejection`. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function simulation(store: SnapshotStore) {
  // keep 2: the second write to complete starts a compaction; maxQueued 8: nothing is skipped.
  const engine = createEngine({ threads: 1, seed: 5, actorModules: [SIM], snapshots: { store, every: 1, keep: 2, maxQueued: 8 } });
  populate((n, init) => engine.spawn(Walker, n, init), 50);
  return engine;
}

describe('issue 15 item 5: close() awaits everything the snapshot writer queued', () => {
  it('runs the compaction a write in flight starts, and what follows it, before closing the store', async () => {
    const store = gatedStore([1]);
    const engine = simulation(store);
    await engine.step(2); // writes of ticks 0, 1 (held) and 2 are issued
    const closing = engine.close(); // the final tick (2) is issued already: close() waits for the writes
    await settle();
    expect(store.log).toEqual(['write 0', 'write 1']);
    store.release(1); // tick 1 is the second write done: it starts a compaction behind the write of tick 2
    await closing;
    await settle();
    expect(unhandled).toEqual([]);
    expect(store.log).toEqual(['write 0', 'write 1', 'write 2', 'compact', 'list', 'close']);
    expect(engine.stats().snapshots).toMatchObject({ written: 3, failed: 0, skipped: 0, lastStoredTick: 2 });
  });

  it('counts a compaction that fails while closing, and still closes the store after it', async () => {
    const store = gatedStore([1], true);
    const engine = simulation(store);
    await engine.step(2);
    const closing = engine.close();
    store.release(1);
    await closing;
    await settle();
    expect(unhandled).toEqual([]);
    expect(store.log).toEqual(['write 0', 'write 1', 'write 2', 'compact', 'close']);
    expect(engine.stats().snapshots).toMatchObject({ written: 3, failed: 1, lastError: expect.objectContaining({ code: 'SNAPSHOT_IO' }) });
  });

  it('waits for every write issued, not only the last one', async () => {
    const store = gatedStore([0]);
    const engine = simulation(store);
    await engine.step(3); // ticks 0 (held), 1, 2, 3: the last issued write is not the last to finish
    const closing = engine.close();
    store.release(0);
    await closing;
    await settle();
    expect(unhandled).toEqual([]);
    expect(store.log.at(-1)).toBe('close');
    expect(store.log.filter((entry) => entry.endsWith('rejected'))).toEqual([]);
    expect(engine.stats().snapshots).toMatchObject({ written: 4, failed: 0 });
  });
});

describe('issue 15 item 5: stopping the infrastructure supervisor awaits a service still starting', () => {
  it('stops what a start under way brings up before stop() resolves', async () => {
    const order: string[] = [];
    let release!: (stop: () => Promise<void>) => void;
    const root = await startInfrastructure({ service: { start: () => new Promise((resolve) => (release = resolve)) } });
    const stopping = root.stop().then(() => void order.push('supervisor stopped'));
    await settle();
    expect(order).toEqual([]); // the start is still under way
    release(async () => void order.push('service stopped'));
    await stopping;
    expect(order).toEqual(['service stopped', 'supervisor stopped']);
  });

  it('reports a failing stop of a service that came up after it exited, never leaving it unhandled', async () => {
    const events: unknown[] = [];
    let release!: (stop: () => Promise<void>) => void;
    const root = await startInfrastructure(
      { service: { start: () => new Promise((resolve) => (release = resolve)) } },
      { onEvent: (event) => void (event.type === 'stopFailed' && events.push(event)) },
    );
    const stopping = root.stop();
    release(() => Promise.reject(new Error('port still bound')));
    await stopping;
    await settle();
    expect(unhandled).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ type: 'stopFailed', id: 'service', reason: expect.objectContaining({ message: 'port still bound' }) })]);
  });
});
