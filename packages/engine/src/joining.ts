/**
 * The user's entry module runs in every worker (as Node's `cluster` runs the main script in every
 * process): there, `Engine.builder()…build()` must not start another engine but *join* — register
 * the kinds the module spawns, and let the worker know the module has done so.
 */
const JOINING = Symbol.for('concurrengine.engine.joining');

interface JoiningState {
  /** Resolved when the module's engine calls `run()` (all its kinds are registered by then). */
  readonly joined: Promise<void>;
  resolve(): void;
}

/** Marks this thread as joining before the worker imports the user's module. */
export function beginJoining(): JoiningState {
  let resolve!: () => void;
  const joined = new Promise<void>((r) => (resolve = r));
  const state: JoiningState = { joined, resolve };
  (globalThis as Record<symbol, unknown>)[JOINING] = state;
  return state;
}

/** The joining state when this thread is a worker importing the user's module, else undefined. */
export function joiningState(): JoiningState | undefined {
  return (globalThis as Record<symbol, unknown>)[JOINING] as JoiningState | undefined;
}
