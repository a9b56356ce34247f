/**
 * The kind → function table of one thread, filled by importing job modules. Used by each worker
 * and by the inline scheduler; owned by that one thread.
 */
import { SchedulerError } from './errors.js';
import type { JobFn, JobModule, JobModuleRef, SetupContext } from './jobModule.js';

/** Largest kind id accepted (kinds index a dense array). */
export const MAX_KIND = 65_535;

/** A thread-local table of job kinds. */
export interface JobRegistry {
  /** Dense table: `table[kind]` is the function or undefined. */
  readonly table: ReadonlyArray<JobFn | undefined>;
  /** Imports the module at `ref.url`, runs its `setup`, and registers its kinds. */
  load(ref: JobModuleRef, ctx: SetupContext): Promise<void>;
}

/** Normalises a module URL to a string, checking that it is absolute. */
export function moduleUrl(ref: JobModuleRef): string {
  const text = String(ref.url);
  try {
    return new URL(text).href;
  } catch (cause) {
    throw new SchedulerError('SCHEDULER_JOB_MODULE', `job module url must be absolute (file:...); got ${text}`, { cause });
  }
}

/** Creates an empty registry. `importer` exists so a test can hand in modules directly. */
export function createJobRegistry(importer: (url: string) => Promise<unknown> = (url) => import(url)): JobRegistry {
  const table: Array<JobFn | undefined> = [];
  return {
    table,
    async load(ref, ctx) {
      const url = moduleUrl(ref);
      let namespace: unknown;
      try {
        namespace = await importer(url);
      } catch (cause) {
        throw new SchedulerError('SCHEDULER_JOB_MODULE', `cannot import job module ${url}: ${String(cause)}`, { cause });
      }
      const mod = (namespace as { default?: unknown }).default as JobModule | undefined;
      if (typeof mod !== 'object' || mod === null || typeof mod.jobs !== 'object' || mod.jobs === null) {
        throw new SchedulerError(
          'SCHEDULER_JOB_MODULE',
          `job module ${url} must default-export defineJobModule({ jobs: { [kind]: fn } }); got ${typeof mod}`,
        );
      }
      const entries = Object.entries(mod.jobs);
      for (const [key, fn] of entries) {
        const kind = Number(key);
        if (!Number.isInteger(kind) || kind < 0 || kind > MAX_KIND || typeof fn !== 'function') {
          throw new SchedulerError('SCHEDULER_JOB_MODULE', `job module ${url}: kind ${key} must be an integer in [0, ${MAX_KIND}] mapped to a function`);
        }
        if (table[kind] !== undefined && table[kind] !== fn) {
          throw new SchedulerError('SCHEDULER_DUPLICATE_KIND', `job module ${url} registers kind ${kind}, which another module already registered`);
        }
      }
      if (mod.setup) await mod.setup(ref.data, ctx);
      for (const [key, fn] of entries) table[Number(key)] = fn;
    },
  };
}
