/**
 * The main thread's bookkeeping of a pool. Only the thread that created the pool touches it.
 */
import type { LocalQueue } from '../deque/localQueue.js';
import type { Stealer } from '../deque/stealer.js';
import type { NotRunJob } from '../scheduler.js';
import type { ModuleSpec } from '../worker/workerData.js';
import type { PoolMemory } from './layout.js';
import type { InFlight } from './runBatch.js';
import type { WorkerHandle } from './workerHandle.js';

export interface PoolState {
  readonly mem: PoolMemory;
  /** Worker per slot; slots [0, threads) are populated. */
  readonly handles: Array<WorkerHandle | undefined>;
  /** Owner handles of every deque, used by main only to reset them between batches. */
  readonly owners: readonly LocalQueue[];
  /** Thief handles of every deque, used by main to drain a dead worker's deque. */
  readonly stealers: readonly Stealer[];
  /** Scratch of maxThreads words for `distribute`. */
  readonly scratch: Int32Array;
  readonly modules: ModuleSpec[];
  threads: number;
  gen: number;
  batches: number;
  workerExits: number;
  inFlight: InFlight | undefined;
  lastBatch: { readonly gen: number; readonly participants: readonly WorkerHandle[] } | undefined;
  /** Calls the `onWorkerExit` hook for a worker that died in batch `gen` (0: between batches). */
  reportExit(handle: WorkerHandle, gen: number, notRun: readonly NotRunJob[]): void;
}
