/**
 * Imports a job module inside a worker. TypeScript modules (`.ts`, `.mts`, `.cts`) need a loader:
 * the first one registers `tsx`'s ESM hooks in this thread (`--import tsx` in execArgv does not
 * reach workers on Node 20, see TOOLCHAIN.md). `tsx` must then be installed by the application.
 */
const TSX_MARK = Symbol.for('concurrengine.scheduler.tsxRegistered');

/** Registers tsx in this thread once. Also called by the in-repo development bootstrap. */
export async function ensureTsx(): Promise<void> {
  const g = globalThis as Record<symbol, unknown>;
  if (g[TSX_MARK] === true) return;
  const api = (await import('tsx/esm/api')) as { register: () => unknown };
  api.register();
  g[TSX_MARK] = true;
}

/** Imports `url`, first registering tsx when it names a TypeScript file. */
export async function importJobModule(url: string): Promise<unknown> {
  if (/\.[mc]?ts$/.test(new URL(url).pathname)) await ensureTsx();
  return import(url);
}
