/**
 * Issue 15 item 8: a run directory with one manifest grown past 4 GiB (a sparse file) and one
 * tick's meta crafted with its checksum recomputed (`highWater = -5`). `inspect`, `verify` and
 * `replay` of those ticks exit 2 with a one-line typed reason naming the tick and file, no stack;
 * every other tick stays listable and replays. The built bin in child processes, on real files.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
const program = fileURLToPath(new URL('./fixtures/tinySim.ts', import.meta.url));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CONCURRENGINE_')));
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const manifestOf = (dir: string, tick: number) => join(dir, `tick-${String(tick).padStart(16, '0')}.ctick`);
const stateAt = (stdout: string, tick: number) => new RegExp(`^tick ${tick} state ([0-9a-f]{16})`, 'm').exec(stdout)?.[1];

/** Never an internal error or a stack trace. */
function expectCleanFailure(r: { status: number | null; stderr: string }): void {
  expect(r.status).toBe(2);
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

const root = mkdtempSync(join(tmpdir(), 'concurrengine-store-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runDir = '';
let huge = '';
let crafted = '';

beforeAll(() => {
  const config = join(root, 'engine.toml');
  writeFileSync(config, `[engine]\nsnapshot_interval = 5\nsnapshot_max_queued = 8\nsnapshot_dir = ${JSON.stringify(join(root, 'snapshots'))}\n[telemetry]\nexporter = "none"\n`);
  const run = cli(['run', program, '--ticks', '30', '--threads', '1', '--seed', '3', '--config', config, '--status', 'none']);
  expect(run.status).toBe(0);
  runDir = /^snapshots: (.+)$/m.exec(run.stdout)![1]!;

  huge = join(root, 'huge');
  cpSync(runDir, huge, { recursive: true });
  truncateSync(manifestOf(huge, 10), 2 ** 32 + 4096); // sparse: no disk used

  crafted = join(root, 'crafted');
  cpSync(runDir, crafted, { recursive: true });
  const file = manifestOf(crafted, 15);
  const old = readFileSync(file);
  const m = old.readUInt32LE(44);
  const meta = JSON.parse(old.subarray(48, 48 + m).toString('utf8')) as { kinds: Array<{ highWater: number }> };
  meta.kinds[0]!.highWater = -5;
  const bytes = Buffer.from(JSON.stringify(meta));
  const out = Buffer.concat([old.subarray(0, 48), bytes, old.subarray(48 + m, old.length - 4), Buffer.alloc(4)]);
  out.writeUInt32LE(bytes.byteLength, 44);
  out.writeUInt32LE(crc32(out.subarray(32, out.length - 4)), out.length - 4);
  writeFileSync(file, out);
}, 60_000);

describe('issue 15 item 8: store files past 4 GiB or crafted', () => {
  it('inspect names the corrupt manifest (exit 2) and still lists every other tick', () => {
    const r = cli(['inspect', huge]);
    expectCleanFailure(r);
    expect(r.stdout).toMatch(/ticks +7 \(0 … 30\)/);
    expect(r.stdout).toMatch(/^ {2}10 +unreadable manifest/m);
    expect(r.stdout).toMatch(/^ {2}20 +\d+ /m);
    expect(r.stderr).toContain('CORRUPT — 1 of 7 tick(s) have an unreadable manifest');
    expect(r.stderr).toContain(`tick 10: SNAPSHOT_CORRUPT in ${manifestOf(huge, 10)}`);
    const json = cli(['inspect', huge, '--json']);
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, ticks: 7, unreadable: [{ tick: 10, file: manifestOf(huge, 10), code: 'SNAPSHOT_CORRUPT' }] });
    expect(cli(['inspect', runDir]).status).toBe(0);
  }, 60_000);

  it('verify names the tick and file (exit 2); the other ticks check out', () => {
    const r = cli(['verify', huge]);
    expectCleanFailure(r);
    expect(r.stderr).toContain(`tick 10: SNAPSHOT_CORRUPT in ${manifestOf(huge, 10)}`);
    expect(r.stderr).toContain('The other 6 tick(s) read back intact.');
  }, 60_000);

  it('replay of the grown tick is exit 2 naming it; a replay of a later tick is exact', () => {
    const r = cli(['replay', huge, '--tick', '12']);
    expectCleanFailure(r);
    expect(r.stderr).toMatch(/tick 10: .*tick-0000000000000010\.ctick.*\[SNAPSHOT_CORRUPT\]/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const intact = cli(['replay', runDir, '--tick', '20']);
    const later = cli(['replay', huge, '--tick', '20']);
    expect(later.status).toBe(0);
    expect(stateAt(later.stdout, 20)).toBe(stateAt(intact.stdout, 20));
  }, 60_000);

  it('replay of a tick whose meta says highWater = -5 is exit 2 naming tick and field; a later tick replays', () => {
    const r = cli(['replay', crafted, '--tick', '15']);
    expectCleanFailure(r);
    expect(r.stderr).toMatch(/tick 15: the meta's kinds\[0\]\.highWater is -5; expected an integer from 0 .*\[ENGINE_SNAPSHOT_INVALID\]/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const intact = cli(['replay', runDir, '--tick', '25']);
    const later = cli(['replay', crafted, '--tick', '25']);
    expect(later.status).toBe(0);
    expect(stateAt(later.stdout, 25)).toBe(stateAt(intact.stdout, 25));
  }, 60_000);
});
