/**
 * The CLI on runs of a program whose actors the octree sorts in space every few ticks (refs name
 * handles, slots move): `run` stores ticks, `inspect` and `verify` read the store, `replay`
 * restores ticks before and after sorts with another thread count to the run's final hash, and
 * `drill` redoes killed workers' jobs to the clean run's state. The built bin in child
 * processes, on real files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
const program = fileURLToPath(new URL('./fixtures/sortedSim.ts', import.meta.url));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CONCURRENGINE_')));
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const root = mkdtempSync(join(tmpdir(), 'concurrengine-sorted-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runDir = '';
let final = '';

beforeAll(() => {
  const config = join(root, 'engine.toml');
  // Supervised, so the actors that throw restart in place (and the replay must restart them alike).
  writeFileSync(config, `[engine]\nsnapshot_interval = 5\nsnapshot_max_queued = 8\nsnapshot_dir = ${JSON.stringify(join(root, 'snapshots'))}\n[telemetry]\nexporter = "none"\n[supervision]\nrestart_policy = "exponential-backoff"\nbackoff_min = "10ms"\nmax_restarts = 16\n`);
  const run = cli(['run', program, '--ticks', '30', '--threads', '1', '--seed', '6', '--config', config, '--status', 'none']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  runDir = /^snapshots: (.+)$/m.exec(run.stdout)![1]!;
  expect(run.stdout).toMatch(/snapshots 7 written, 0 skipped, 0 failed/);
  final = /state ([0-9a-f]{16})/.exec(run.stdout)![1]!;
}, 60_000);

describe('the CLI on a run sorted in space', () => {
  it('inspect and verify read the store', () => {
    const inspect = cli(['inspect', runDir, '--json']);
    expect(inspect.status).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ ticks: 7 });
    const verify = cli(['verify', runDir]);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain(`${runDir}: ok — 7 tick(s)`);
  }, 60_000);

  it('replay restores the last stored tick, and a tick between sorts re-executed, to the run\'s final hash with 2 threads', () => {
    const last = cli(['replay', runDir, '--tick', '30', '--threads', '2', '--json']);
    expect(last.stderr).toBe('');
    expect(last.status).toBe(0);
    expect(JSON.parse(last.stdout)).toMatchObject({ tick: 30, state: final });
    // Stored tick 10, ticks 10 and 11 re-executed (sorted into 12), then on through sorts into 16, 20, 24 and 28.
    const between = cli(['replay', runDir, '--tick', '12', '--continue', '18', '--threads', '2', '--json']);
    expect(between.stderr).toBe('');
    expect(between.status).toBe(0);
    expect(JSON.parse(between.stdout)).toMatchObject({ tick: 12, stored: 10, final: { tick: 30, state: final } });
  }, 60_000);

  it('drill redoes the jobs of killed workers: the actors no fault hit end as in the clean run', () => {
    // Worker exits only: a drilled handler throw would restart an actor's `friend` to no one, and
    // its friend's pokes would differ (these actors interact, so such a fault is not contained).
    const { status, stdout, stderr } = cli(['drill', program, '--ticks', '20', '--threads', '2', '--seed', '5', '--handler-throw-rate', '0', '--worker-exit-rate', '0.03', '--json']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ ticks: 20, threads: 2, actors: 3000, escalations: 0, engineFailed: null, stateOutsideFaultedActors: 'identical' });
    expect(report.workerExits).toBeGreaterThan(0);
    expect(report.jobsRedone).toBeGreaterThan(0);
  }, 90_000);
});
