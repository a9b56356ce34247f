/**
 * Builds both handles of a deque over fresh or existing shared memory (kdbush's `from(buffer)`:
 * pass the same `mem` and `base` in another thread to rebuild the handles there).
 */
import { LocalQueue } from './localQueue.js';
import { assertCapacity, dequeWords } from './layout.js';
import { Stealer } from './stealer.js';

/** The owner handle and a thief handle of one deque. */
export interface DequeHandles {
  readonly local: LocalQueue;
  readonly stealer: Stealer;
  /** The shared words the deque lives in. */
  readonly mem: Int32Array;
  readonly base: number;
}

/**
 * Creates a deque of `capacity` (a power of two). Without `mem`, allocates a SharedArrayBuffer of
 * its own; with `mem` and `base`, views the deque that already lives there.
 */
export function createDeque(capacity: number, mem?: Int32Array, base = 0): DequeHandles {
  assertCapacity(capacity);
  const words = mem ?? new Int32Array(new SharedArrayBuffer(dequeWords(capacity) * 4));
  return { local: new LocalQueue(words, base, capacity), stealer: new Stealer(words, base, capacity), mem: words, base };
}
