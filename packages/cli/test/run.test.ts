/** `concurrengine run` as a user runs it: the built bin in a child process, on a real program. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
const program = fileURLToPath(new URL('./fixtures/tinySim.ts', import.meta.url));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CONCURRENGINE_')));
  const result = spawnSync(process.execPath, [bin, 'run', ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const stateOf = (stdout: string) => /state ([0-9a-f]{16})/.exec(stdout)?.[1];

describe('concurrengine run', () => {
  it('runs a program for a number of ticks on the threads asked for, with the same final state for 1 and 2 threads', () => {
    const one = run([program, '--ticks', '40', '--threads', '1', '--seed', '9', '--status', 'plain']);
    const two = run([program, '--ticks', '40', '--threads', '2', '--seed', '9', '--status', 'plain']);
    expect(one.stderr).toBe('');
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(one.stdout).toMatch(/done: 40 ticks in [\d.]+ s, tick p50 [\d.]+ ms p99 [\d.]+ ms max [\d.]+ ms, [\d.]+ of 240 Hz, \d+ overruns, 5,000 actors, 200,000 events, fast-path [\d.]+%, start [\d.]+ s, \d+ ticks over 2 periods/);
    expect(stateOf(one.stdout)).toMatch(/^[0-9a-f]{16}$/);
    expect(stateOf(two.stdout)).toBe(stateOf(one.stdout));
    const other = run([program, '--ticks', '40', '--threads', '2', '--seed', '10', '--status', 'none']);
    expect(stateOf(other.stdout)).not.toBe(stateOf(one.stdout)); // the seed reaches ctx.random()
  }, 60_000);

  it('prints plain status lines while it runs for a duration', () => {
    const { status, stdout } = run([program, '--duration', '2.5s', '--status', 'plain']);
    expect(status).toBe(0);
    const lines = stdout.split('\n').filter((l) => l.startsWith('running  tick '));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(/^running {2}tick \d+ {2}[\d.]+\/240 Hz {2}tick p50 [\d.]+ ms p99 [\d.]+ ms {2}actors 5,000 {2}events [\d.]+ M\/s {2}threads 1 {2}steals \d+ {2}fast-path [\d.]+% {2}overruns \d+/);
  }, 60_000);

  it('takes threads and tick rate from a config file and starts the metrics endpoint it names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'concurrengine-run-'));
    const config = join(dir, 'engine.toml');
    writeFileSync(config, `[engine]\nthreads = 2\ntick_rate = "120hz"\nsnapshot_dir = ${JSON.stringify(join(dir, 'snapshots'))}\n[telemetry]\nendpoint = "127.0.0.1:0"\n`);
    const { status, stdout } = run([program, '--config', config, '--ticks', '20', '--status', 'none']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/metrics: http:\/\/127\.0\.0\.1:\d+\/metrics {3}dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    expect(stdout).toContain('done: 20 ticks');
    // snapshot_interval defaults to 600: tick 0 and the final tick go to this run's own directory.
    expect(stdout).toMatch(/^snapshots: .*\/snapshots\/run-\d{4}-\d\d-\d\dT[\d-]+Z-\d+\n/m);
    expect(stdout).toMatch(/, snapshots 2 written, 0 skipped, 0 failed\n/);
  }, 60_000);

  it('refuses bad input with exit 2 and says why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'concurrengine-run-'));
    const bad = join(dir, 'bad.toml');
    writeFileSync(bad, '[engine]\nthreads = 0\n');
    const badConfig = run([program, '--config', bad]);
    expect(badConfig.status).toBe(2);
    expect(badConfig.stderr).toMatch(/bad\.toml:2:\d+ .*threads/);
    expect(badConfig.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run([program, '--threads', 'many']).stderr).toMatch(/--threads must be an integer ≥ 1, got 'many'/);
    expect(run([program, '--frobnicate']).status).toBe(2);
    expect(run([]).stderr).toMatch(/missing <module>/);
    expect(run([program, '--duration', 'soon']).stderr).toMatch(/--duration must be a duration/);
  }, 60_000);
});
