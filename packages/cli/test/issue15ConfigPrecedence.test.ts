/**
 * Issue 15 item 3: `concurrengine run --config` applies only the keys the file (or the
 * environment) sets over the program's own `.seed()` and `.supervise()`; item 7: `snapshot_keep`
 * bounds the stored ticks of the run. The built bin in child processes, on real files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { openFileSnapshotStore } from '@concurrengine/snapshot';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
const program = fileURLToPath(new URL('./fixtures/seededSim.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'concurrengine-issue15-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CONCURRENGINE_')));
  const result = spawnSync(process.execPath, [bin, 'run', program, '--ticks', '30', '--status', 'none', ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
/** The summary's actor count and state hash. */
const outcome = (stdout: string) => ({ actors: /, ([\d,]+) actors,/.exec(stdout)?.[1], state: /state ([0-9a-f]{16})/.exec(stdout)?.[1] });

let files = 0;
function config(body: string): string {
  const file = join(root, `c${++files}.toml`);
  writeFileSync(file, `[engine]\nsnapshot_dir = ${JSON.stringify(join(root, `snapshots-${files}`))}\n${body}\n`);
  return file;
}

describe('issue 15: concurrengine run --config applies only the keys it sets', () => {
  it('runs a .seed(7) program with its own supervision under a file that only sets snapshot_interval and exporter = "none", and the seed a file sets', () => {
    const bare = run([]);
    expect(bare.status).toBe(0);
    const mine = outcome(bare.stdout);
    // Supervision removes failed actors (restart "temporary"): fewer than the 2,000 spawned.
    expect(Number(mine.actors!.replace(/,/g, ''))).toBeLessThan(2000);

    // snapshot_max_queued = 64: a loaded machine's disk skips no due tick.
    const snapshotsOnly = run(['--config', config('snapshot_interval = 5\nsnapshot_max_queued = 64\n[telemetry]\nexporter = "none"')]);
    expect(snapshotsOnly.stderr).toBe('');
    expect(snapshotsOnly.stdout).toMatch(/snapshots 7 written/);
    expect(outcome(snapshotsOnly.stdout)).toEqual(mine);

    const seeded = run(['--config', config('seed = 9\nsnapshot_interval = 0\n[telemetry]\nexporter = "none"')]);
    expect(outcome(seeded.stdout).state).not.toBe(mine.state);
    // The flag wins over the file.
    const flagged = run(['--config', config('seed = 9\nsnapshot_interval = 0\n[telemetry]\nexporter = "none"'), '--seed', '7']);
    expect(outcome(flagged.stdout)).toEqual(mine);
  }, 120_000);

  it('keeps the newest snapshot_keep stored ticks of the run', async () => {
    // Every 3rd tick stored: ticks 0, 3, …, 30 — 11 writes; a compaction after every 5th keeps the
    // newest 5, so after the 10th ticks 15…27 remain, and the final tick 30 joins them.
    const { status, stdout } = run(['--config', config('snapshot_interval = 3\nsnapshot_keep = 5\nsnapshot_max_queued = 64\n[telemetry]\nexporter = "none"')]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/snapshots 11 written/);
    const store = await openFileSnapshotStore(/^snapshots: (.+)$/m.exec(stdout)![1]!, { worker: false });
    try {
      const ticks = await store.listTicks();
      // The 11th write may land before the 10th's compaction runs (then it keeps 5 of the 6).
      expect(ticks.length === 5 || ticks.length === 6).toBe(true);
      expect(ticks).toEqual([15, 18, 21, 24, 27, 30].slice(6 - ticks.length));
    } finally {
      await store.close();
    }
  }, 60_000);
});
