/**
 * Imports a user module in a worker. A TypeScript module needs tsx's loader registered in this
 * thread first (`--import tsx` does not reach workers on Node 20, TOOLCHAIN.md). The mark is the
 * one the scheduler uses, so the two never register tsx twice in one thread.
 */
const TSX_MARK = Symbol.for('concurrengine.scheduler.tsxRegistered');

export async function importModule(url: string): Promise<unknown> {
  const g = globalThis as Record<symbol, unknown>;
  if (/\.[mc]?ts$/.test(new URL(url).pathname) && g[TSX_MARK] !== true) {
    const api = (await import('tsx/esm/api')) as { register: () => unknown };
    api.register();
    g[TSX_MARK] = true;
  }
  return import(url);
}
