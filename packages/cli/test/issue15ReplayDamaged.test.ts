/**
 * Issue 15 item 6: `concurrengine replay` of an intact tick works when a later stored tick is
 * damaged; `--continue` past it replays as far as the recorded inputs can be read, prints that
 * tick and its hash, then the typed error naming the damaged tick and file, exit 2. The built bin
 * in child processes, on real files with a byte flipped on disk.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
const program = fileURLToPath(new URL('./fixtures/tinySim.ts', import.meta.url));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CONCURRENGINE_')));
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const stateAt = (stdout: string, tick: number) => new RegExp(`^tick ${tick} state ([0-9a-f]{16})`, 'm').exec(stdout)?.[1];
const manifestOf = (dir: string, tick: number) => join(dir, `tick-${String(tick).padStart(16, '0')}.ctick`);

const root = mkdtempSync(join(tmpdir(), 'concurrengine-replay-damaged-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runDir = '';
let damaged = '';
let final = '';

beforeAll(() => {
  const config = join(root, 'engine.toml');
  writeFileSync(config, `[engine]\nsnapshot_interval = 5\nsnapshot_max_queued = 8\nsnapshot_dir = ${JSON.stringify(join(root, 'snapshots'))}\n[telemetry]\nexporter = "none"\n`);
  const run = cli(['run', program, '--ticks', '30', '--threads', '1', '--seed', '3', '--config', config, '--status', 'none']);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('snapshots 7 written, 0 skipped, 0 failed');
  runDir = /^snapshots: (.+)$/m.exec(run.stdout)![1]!;
  final = /done: .* state ([0-9a-f]{16})/.exec(run.stdout)![1]!;
  // A copy whose stored tick 20 has a flipped byte in its manifest (its meta: the checksum fails).
  damaged = join(root, 'damaged');
  cpSync(runDir, damaged, { recursive: true });
  const bytes = readFileSync(manifestOf(damaged, 20));
  bytes[60]! ^= 0x5a;
  writeFileSync(manifestOf(damaged, 20), bytes);
}, 60_000);

describe('issue 15 item 6: concurrengine replay with a damaged later stored tick', () => {
  it('restores an earlier tick to the hash of the intact store', () => {
    const intact = cli(['replay', runDir, '--tick', '12']);
    const replay = cli(['replay', damaged, '--tick', '12']);
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(0);
    expect(stateAt(replay.stdout, 12)).toBe(stateAt(intact.stdout, 12));
  }, 60_000);

  it('continues as far as the recorded inputs can be read, prints that tick, then names the damaged tick and file (exit 2)', () => {
    const intact = cli(['replay', runDir, '--tick', '15']);
    const replay = cli(['replay', damaged, '--tick', '12', '--continue', '18']);
    expect(replay.status).toBe(2);
    expect(stateAt(replay.stdout, 12)).toMatch(/^[0-9a-f]{16}$/);
    // Ticks 12 … 14 re-execute on stored tick 15's inputs; tick 15's are in stored tick 20.
    expect(replay.stdout).toMatch(/^tick 15 state [0-9a-f]{16} \(3 ticks on from 12; the replay stops there\)$/m);
    expect(stateAt(replay.stdout, 15)).toBe(stateAt(intact.stdout, 15));
    expect(replay.stderr).toContain('stored tick 20');
    expect(replay.stderr).toContain(manifestOf(damaged, 20));
    expect(replay.stderr).toMatch(/\[ENGINE_REPLAY_INPUTS_UNREADABLE\]\n$/);
    expect(replay.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('replays from a stored tick after the damaged one to the run\'s final hash', () => {
    const replay = cli(['replay', damaged, '--tick', '25', '--continue', '5']);
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(0);
    expect(stateAt(replay.stdout, 30)).toBe(final);
  }, 60_000);
});
