/**
 * `concurrengine run --config` with `partition_strategy = "adaptive-octree"` and `[spatial]` keys on
 * a program that sets no spatial options: the run uses the configured octree (the done line says
 * so), each stored tick records it, and `replay` rebuilds it from the store — with another thread
 * count and no config — to the run's final hash. The built bin in child processes, on real files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
const program = fileURLToPath(new URL('./fixtures/plainHoppers.ts', import.meta.url));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CONCURRENGINE_')));
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const root = mkdtempSync(join(tmpdir(), 'concurrengine-config-spatial-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the program 30 ticks on 1 thread, seed 6, storing every 5 ticks, with `engine` and `[spatial]` lines added to the config. */
function runWith(name: string, engine: string, spatial: string): { runDir: string; final: string; stdout: string } {
  const config = join(root, `${name}.toml`);
  // snapshot_max_queued = 8: no due tick is skipped on a slow disk.
  writeFileSync(config, `[engine]\n${engine}\nsnapshot_interval = 5\nsnapshot_max_queued = 8\nsnapshot_dir = ${JSON.stringify(join(root, name))}\n[spatial]\n${spatial}\n[telemetry]\nexporter = "none"\n`);
  const run = cli(['run', program, '--ticks', '30', '--threads', '1', '--seed', '6', '--config', config, '--status', 'none']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/snapshots 7 written, 0 skipped, 0 failed/);
  return { runDir: /^snapshots: (.+)$/m.exec(run.stdout)![1]!, final: /state ([0-9a-f]{16})/.exec(run.stdout)![1]!, stdout: run.stdout };
}

const BOX = { min: [-500, -500, -500], max: [600, 600, 600] };
let octree: ReturnType<typeof runWith>;

beforeAll(() => {
  octree = runWith('octree', 'partition_strategy = "adaptive-octree"', 'world_min = [-500, -500, -500]\nworld_max = [600, 600, 600]\nsplit_above = 64\nreorder_every = 3');
}, 60_000);

describe('the spatial index from run --config', () => {
  it('runs the configured octree on a program that asked for no index, and says so', () => {
    const partitions = Number(/spatial adaptive-octree \((\d+) partitions\)/.exec(octree.stdout)?.[1]);
    expect(partitions).toBeGreaterThan(3000 / 64);
  });

  it('replays a middle tick with 2 threads to the run\'s final hash, rebuilding the recorded octree', () => {
    const replay = cli(['replay', octree.runDir, '--tick', '13', '--continue', '17', '--threads', '2', '--json']);
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({
      tick: 13,
      stored: 10,
      threads: 2,
      spatial: { strategy: 'adaptive-octree', bounds: BOX, splitAbove: 64, reorderEvery: 3, sort: 'steps' },
      final: { tick: 30, state: octree.final },
    });
  }, 60_000);

  it('matters: without the sorts the same program ends elsewhere, and its replay keeps that', () => {
    const single = runWith('single', 'partition_strategy = "single"', '');
    expect(single.stdout).toContain('spatial single,');
    expect(single.final).not.toBe(octree.final);
    const replay = cli(['replay', single.runDir, '--tick', '13', '--continue', '17', '--threads', '2', '--json']);
    expect(replay.status).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ spatial: { strategy: 'single' }, final: { tick: 30, state: single.final } });
  }, 60_000);
});
