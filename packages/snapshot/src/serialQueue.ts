/**
 * Runs async operations one at a time in call order: the store's ordering guarantee (writes issued
 * back-to-back apply in call order, a read sees every write issued before it).
 */
export interface SerialQueue {
  run<T>(operation: () => Promise<T>): Promise<T>;
  /** Resolves once everything queued so far has settled. */
  idle(): Promise<void>;
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(operation) {
      const result = tail.then(operation);
      // The next operation waits for this one to settle either way; its error goes to its caller.
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    idle: () => tail.then(() => undefined),
  };
}
