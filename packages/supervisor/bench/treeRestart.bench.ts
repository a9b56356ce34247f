/**
 * A one_for_all restart of 100 children on the wall clock: one child crashes, the supervisor stops
 * the other 99 in reverse order and starts all 100 in order. The peer is the bare limit: the same
 * 99 awaited stops and 100 awaited starts in a hand-written loop, with no supervisor around them.
 */
import { createBenchSuite } from '@concurrengine/bench-harness';
import { createSupervisor, type Child, type ExitReason } from '@concurrengine/supervisor';

import { SEED } from './common.js';

const CHILDREN = 100;
const RESTARTS_PER_SAMPLE = 50;

class BenchChild implements Child {
  private listener: ((reason: ExitReason) => void) | undefined;
  async stop(): Promise<void> {
    this.listener?.('shutdown');
  }
  onExit(listener: (reason: ExitReason) => void): void {
    this.listener = listener;
  }
  crash(): void {
    this.listener?.(new Error('crash'));
  }
}

let started = 0;
let onStarted: (() => void) | undefined;
const current: BenchChild[] = [];
const sup = createSupervisor({
  strategy: 'one_for_all',
  intensity: { maxRestarts: 1_000_000, withinMs: 1 },
  children: Array.from({ length: CHILDREN }, (_, i) => ({
    id: `c${i}`,
    start: () => {
      const child = new BenchChild();
      current[i] = child;
      if (++started % CHILDREN === 0) onStarted?.();
      return child;
    },
  })),
});
await sup.start();

async function supervisedRestart(): Promise<void> {
  const done = new Promise<void>((resolve) => (onStarted = resolve));
  current[0]!.crash();
  await done;
}

const bare: BenchChild[] = Array.from({ length: CHILDREN }, () => new BenchChild());
async function bareRestart(): Promise<void> {
  for (let i = CHILDREN - 1; i >= 1; i--) await bare[i]!.stop();
  for (let i = 0; i < CHILDREN; i++) {
    bare[i] = await Promise.resolve(new BenchChild());
    bare[i]!.onExit(() => {});
  }
}

async function perRestart(restart: () => Promise<void>): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < RESTARTS_PER_SAMPLE; i++) await restart();
  return ((performance.now() - t) * 1e3) / RESTARTS_PER_SAMPLE;
}

await createBenchSuite({ package: 'supervisor', seed: SEED })
  .measure({
    case: 'tree-one_for_all-100-restart',
    unit: 'µs',
    better: 'lower',
    samples: 20,
    ours: { name: 'createSupervisor one_for_all', sample: () => perRestart(supervisedRestart) },
    peer: { name: 'bare stop/start loop (the limit)', sample: () => perRestart(bareRestart) },
  })
  .run();
await sup.stop();
