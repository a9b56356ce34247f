/**
 * The engine's job module, loaded by the scheduler into every thread. `setup` imports the user's
 * actor modules (in workers), attaches to the kinds' shared pages and builds the thread's side;
 * the one job kind runs pages of one actor kind.
 */
import { isMainThread } from 'node:worker_threads';

import { defineJobModule, type JobContext } from '@concurrengine/scheduler';
import type { CreateSpatialThread, SpatialThread } from '@concurrengine/spatial';

import { EngineThread } from '../engineThread.js';
import { EngineError } from '../errors.js';
import { beginJoining } from '../joining.js';
import { registerExportedKinds } from '../kindRegistry.js';
import { RUN_PAGES_JOB, type EngineSetupData } from '../protocol.js';
import { importModule } from './importModule.js';
import { installReloadHook } from './reload.js';

let thread: EngineThread | undefined;

async function setup(data: EngineSetupData): Promise<void> {
  if (!isMainThread) {
    const joining = beginJoining();
    for (const url of data.actorModules) {
      // The module may `await engine.run()` at its top level, which never settles in a worker:
      // what the engine needs is that the module registered its kinds, which `run()` signals.
      const namespace = await Promise.race([importModule(url), joining.joined.then(() => undefined)]);
      if (namespace) registerExportedKinds(namespace as Record<string, unknown>);
    }
  }
  let spatial: SpatialThread | undefined;
  if (data.spatial) {
    const module = (await importModule(data.spatial.url)) as { createSpatialThread?: CreateSpatialThread };
    if (typeof module.createSpatialThread !== 'function') {
      throw new EngineError('ENGINE_INVALID_ARGUMENT', `spatial strategy thread module ${data.spatial.url} exports no createSpatialThread(data) function`);
    }
    spatial = module.createSpatialThread(data.spatial.data);
  }
  thread = new EngineThread(data, spatial);
  installReloadHook(thread);
}

export default defineJobModule<EngineSetupData>({
  setup,
  jobs: {
    // `redoOf` is 0, or 1 + the id of the job this one redoes (its effects keep that job's place in the order).
    [RUN_PAGES_JOB]: (kindId: number, first: number, end: number, redoOf: number, job: JobContext) => thread!.runJob(kindId, first, end, redoOf > 0 ? redoOf - 1 : job.jobId, job.worker, redoOf > 0),
  },
});
