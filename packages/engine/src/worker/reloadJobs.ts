/**
 * Loaded (as `reloadJobs.js?reload=N`) into every thread by `engine.reload()`: imports the new
 * version of the module and swaps the handlers of the kinds it exports. It has no jobs.
 */
import { defineJobModule } from '@concurrengine/scheduler';

import { importModule } from './importModule.js';
import { swapHandlers } from './reload.js';

export interface ReloadData {
  readonly moduleUrl: string;
  readonly generation: number;
}

export default defineJobModule<ReloadData>({
  jobs: {},
  async setup(data) {
    const url = new URL(data.moduleUrl);
    url.searchParams.set('reload', String(data.generation));
    swapHandlers((await importModule(url.href)) as Record<string, unknown>);
  },
});
