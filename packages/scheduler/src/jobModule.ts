/**
 * How job code gets into every thread. Closures cannot cross `worker_threads`, so a job is data
 * (a kind and four int32 arguments) and its code lives in a **job module**: an ES module whose
 * default export is `defineJobModule({...})`. Every worker imports every job module by URL and
 * registers its kinds; the inline scheduler does the same in the calling thread. The engine will
 * pass the user's own entry module here, so that actor handlers become job kinds in every thread.
 */

/** What a job function sees besides its arguments. One object per thread, reused for every job. */
export interface JobContext {
  /** Index of the worker running the job (0 in the inline scheduler). */
  readonly worker: number;
  /** Id of the job in its batch. */
  readonly jobId: number;
  /** Generation of the batch (1 for the first batch a scheduler runs). */
  readonly batch: number;
}

/**
 * A job's code: four int32 arguments in, an optional number out (stored in the batch's result
 * slot for the job; `undefined` stores 0). Throwing marks the job failed; the batch goes on.
 */
export type JobFn = (a: number, b: number, c: number, d: number, ctx: JobContext) => number | void;

/** What a worker tells a module's `setup`. */
export interface SetupContext {
  /** Index of this thread's worker (0 in the inline scheduler). */
  readonly worker: number;
}

/** A job module's default export. */
export interface JobModule<Data = unknown> {
  /** Job functions keyed by kind (a non-negative integer, unique across all loaded modules). */
  readonly jobs: Readonly<Record<number, JobFn>>;
  /**
   * Runs once per thread after import, before any job, with the `data` given in the module's
   * `JobModuleRef` (structured-cloned; SharedArrayBuffers inside stay shared). May be async.
   */
  readonly setup?: (data: Data, ctx: SetupContext) => void | Promise<void>;
}

/** Where to find a job module and what to hand its `setup`. */
export interface JobModuleRef {
  /** A `file:` URL (string or URL). `.ts` modules need `tsx` installed: workers register it. */
  readonly url: string | URL;
  /** Passed to `setup` in every thread; must be structured-cloneable. */
  readonly data?: unknown;
}

/** Identity helper that types a job module's default export. */
export function defineJobModule<Data = unknown>(module: JobModule<Data>): JobModule<Data> {
  return module;
}
