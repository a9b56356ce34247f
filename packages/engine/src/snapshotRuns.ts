/**
 * One directory per run under a configured `snapshot_dir`. A store refuses ticks at or below its
 * latest, and every run starts again at tick 0, so two runs cannot share a store: each gets
 * `<base>/run-<UTC timestamp>-<pid>`, and only the newest few run directories are kept.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Run directories `createSnapshotRunDir` keeps by default (the new one included). */
export const KEEP_SNAPSHOT_RUNS = 3;

/** `run-2025-01-31T12-00-00-000Z-4242`: fixed-width UTC time first, so names sort by age. */
const RUN_DIR = /^run-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-\d+$/;

/**
 * Creates `<base>/run-<UTC timestamp>-<pid>` (and `base` if needed) and deletes the older `run-*`
 * directories beyond the newest `keep` (the new one counts; other entries of `base` are left
 * alone). Returns the new directory's absolute path. Deletes synchronously, at start: do not
 * point a long-lived run and frequent new runs at the same `base` with a small `keep`.
 */
export function createSnapshotRunDir(base: string, options: { readonly keep?: number; readonly now?: Date; readonly pid?: number } = {}): string {
  const keep = Math.max(1, options.keep ?? KEEP_SNAPSHOT_RUNS);
  const root = resolve(base);
  mkdirSync(root, { recursive: true });
  const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const dir = join(root, `run-${stamp}-${options.pid ?? process.pid}`);
  mkdirSync(dir, { recursive: true });
  const runs = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && RUN_DIR.test(e.name))
    .map((e) => e.name)
    .sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - keep))) {
    if (join(root, old) !== dir) rmSync(join(root, old), { recursive: true, force: true });
  }
  return dir;
}
