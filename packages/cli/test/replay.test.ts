/**
 * `concurrengine run --config` with snapshots on, then `concurrengine replay` of the run directory:
 * the built bin in child processes, on real files in a temp folder.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { openFileSnapshotStore } from '@concurrengine/snapshot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
const program = fileURLToPath(new URL('./fixtures/tinySim.ts', import.meta.url));
const otherKinds = fileURLToPath(new URL('./fixtures/otherKinds.ts', import.meta.url));

function cli(args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CONCURRENGINE_')));
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000, ...(cwd ? { cwd } : {}) });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const HASH = /[0-9a-f]{16}/;
const stateAt = (stdout: string, tick: number) => new RegExp(`^tick ${tick} state (${HASH.source})`, 'm').exec(stdout)?.[1];

const root = mkdtempSync(join(tmpdir(), 'concurrengine-replay-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const base = join(root, 'snapshots');
let runDir = '';
let final = '';

beforeAll(() => {
  const config = join(root, 'engine.toml');
  writeFileSync(config, `[engine]\nsnapshot_interval = 5\nsnapshot_max_queued = 8\nsnapshot_dir = ${JSON.stringify(base)}\n[telemetry]\nexporter = "none"\n`);
  const run = cli(['run', program, '--ticks', '30', '--threads', '1', '--seed', '3', '--config', config, '--status', 'none']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  runDir = /^snapshots: (.+)$/m.exec(run.stdout)![1]!;
  expect(runDir.startsWith(join(base, 'run-'))).toBe(true);
  expect(run.stdout).toMatch(/done: 30 ticks .* state [0-9a-f]{16}, snapshots 7 written, 0 skipped, 0 failed\n/);
  final = /state ([0-9a-f]{16})/.exec(run.stdout)![1]!;
}, 60_000);

describe('concurrengine replay', () => {
  it('restores the last stored tick with another thread count to the hash the run ended with', () => {
    const { status, stdout, stderr } = cli(['replay', runDir, '--tick', '30', '--threads', '2']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stateAt(stdout, 30)).toBe(final);
    expect(stdout).toContain('2 threads');
  }, 60_000);

  it('restores a tick between stored ones by re-executing, and continues to the same final hash', () => {
    const { status, stdout } = cli(['replay', runDir, '--tick', '12', '--continue', '18', '--json']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { tick: number; stored: number; state: string; final: { tick: number; state: string } };
    expect(report).toMatchObject({ tick: 12, stored: 10, final: { tick: 30, state: final } });
    expect(report.state).toMatch(/^[0-9a-f]{16}$/);
    expect(report.state).not.toBe(final);
  }, 60_000);

  it('refuses bad input with exit 2 and says why', async () => {
    const notStore = cli(['replay', root, '--tick', '3']);
    expect(notStore.status).toBe(2);
    expect(notStore.stderr).toMatch(/not a snapshot store.*\[SNAPSHOT_FORMAT\]/);
    expect(cli(['replay', runDir]).stderr).toMatch(/missing --tick <n>/);
    expect(cli(['replay', runDir, '--tick', 'x']).status).toBe(2);
    expect(cli(['replay', runDir, '--tick', '5', '--program', 'missing.ts']).stderr).toMatch(/program missing\.ts not found/);

    const mismatch = cli(['replay', runDir, '--tick', '5', '--program', otherKinds]);
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toMatch(/stored as Mover .* this engine's is Counter .*\[ENGINE_SNAPSHOT_INCOMPATIBLE\]/);
    expect(mismatch.stderr).not.toMatch(/\n\s+at /);

    // A copy of the run compacted to its newest two ticks: tick 12 is before everything it holds.
    const compacted = join(root, 'compacted');
    cpSync(runDir, compacted, { recursive: true });
    const store = await openFileSnapshotStore(compacted, { worker: false });
    await store.compact({ keepLast: 2 });
    await store.close();
    const early = cli(['replay', compacted, '--tick', '12']);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/oldest stored tick is 25 .*\[ENGINE_TICK_NOT_RETAINED\]/);
  }, 60_000);

  it('keeps the three newest run directories under snapshot_dir', () => {
    const config = join(root, 'off.toml');
    writeFileSync(config, `[engine]\nsnapshot_interval = 2\nsnapshot_dir = "snaps"\n[telemetry]\nexporter = "none"\n`);
    const cwd = join(root, 'cwd');
    mkdirSync(join(cwd, 'snaps', 'run-2000-01-01T00-00-00-000Z-1'), { recursive: true });
    mkdirSync(join(cwd, 'snaps', 'run-2000-01-01T00-00-00-000Z-2'), { recursive: true });
    mkdirSync(join(cwd, 'snaps', 'run-2000-01-01T00-00-00-000Z-3'), { recursive: true });
    mkdirSync(join(cwd, 'snaps', 'keep-me'), { recursive: true });
    const run = cli(['run', program, '--ticks', '2', '--config', config, '--status', 'none'], cwd);
    expect(run.status).toBe(0);
    const runs = readdirSync(join(cwd, 'snaps')).sort();
    expect(runs).toHaveLength(4);
    expect(runs.slice(0, 3)).toEqual(['keep-me', 'run-2000-01-01T00-00-00-000Z-2', 'run-2000-01-01T00-00-00-000Z-3']);
    expect(existsSync(/^snapshots: (.+)$/m.exec(run.stdout)![1]!)).toBe(true);
  }, 60_000);
});

describe('concurrengine replay of a supervised run', () => {
  it('supervises the replay as the run was (restarts, backoffs and their state come back), to the same hashes', () => {
    const flaky = fileURLToPath(new URL('./fixtures/flakySim.ts', import.meta.url));
    const dir = join(root, 'flaky');
    const config = join(root, 'flaky.toml');
    writeFileSync(config, `[engine]\nsnapshot_interval = 5\nsnapshot_max_queued = 8\nsnapshot_dir = ${JSON.stringify(dir)}\n[telemetry]\nexporter = "none"\n[supervision]\nrestart_policy = "exponential-backoff"\nbackoff_min = "10ms"\nmax_restarts = 16\n`);
    const run = cli(['run', flaky, '--ticks', '30', '--threads', '1', '--seed', '4', '--config', config, '--status', 'none']);
    expect(run.status).toBe(0);
    const flakyDir = /^snapshots: (.+)$/m.exec(run.stdout)![1]!;
    const flakyFinal = /state ([0-9a-f]{16})/.exec(run.stdout)![1]!;
    const replay = cli(['replay', flakyDir, '--tick', '12', '--continue', '18', '--threads', '2', '--json']);
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ stored: 10, final: { tick: 30, state: flakyFinal } });
  }, 60_000);
});
