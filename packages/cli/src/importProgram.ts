/** Imports a user's program the way `run` and `replay` do: TypeScript through tsx, JavaScript as is. */

/**
 * Imports the module at `url` (`path` is what the user named, to tell TypeScript from JavaScript).
 * The engine's workers see the flag set here and register tsx themselves before importing it.
 */
export async function importProgram(url: string, path: string): Promise<void> {
  if (/\.[mc]?ts$/.test(path)) {
    const tsx = (await import('tsx/esm/api')) as { register: () => unknown };
    tsx.register();
    (globalThis as Record<symbol, unknown>)[Symbol.for('concurrengine.scheduler.tsxRegistered')] = true;
  }
  await import(url);
}
