/** A {@link FileStoreCore} as a {@link SnapshotStore}: calls run one at a time in call order. */
import { SnapshotError } from '../errors.js';
import { createSerialQueue } from '../serialQueue.js';
import type { SnapshotStore } from '../snapshotStore.js';
import type { FileStoreCore } from './fileStoreCore.js';

export function queuedStore(core: FileStoreCore): Required<SnapshotStore> {
  const queue = createSerialQueue();
  let closed = false;
  const run = <T>(operation: () => Promise<T> | T): Promise<T> => {
    if (closed) return Promise.reject(new SnapshotError('SNAPSHOT_CLOSED', `the snapshot store at ${core.dir} is closed`));
    return queue.run(async () => operation());
  };
  return {
    writeTick: (input) => run(() => core.writeTick(input.tick, input.meta, input.pages)),
    readTick: (tick) => run(() => core.readTick(tick)),
    readMeta: (tick) => run(() => core.readMeta(tick)),
    listTicks: () => run(() => core.listTicks()),
    latest: () => run(() => core.latest()),
    verify: () => run(() => core.verify()),
    compact: (options) => run(() => core.compact(options)),
    stats: () => run(() => core.stats()),
    async close() {
      if (closed) return;
      closed = true;
      await queue.idle();
      await queue.run(() => core.close());
    },
  };
}
