/** `concurrengine inspect` and `concurrengine verify` on real snapshot stores in temp folders. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileSnapshotStore } from '@concurrengine/snapshot';
import { main, type CliIo } from '../src/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {}, cwd: process.cwd() }, out: () => out, err: () => err };
}

/** A store with three ticks of four 1000-byte pages; page 0 never changes, page t changes at tick t. */
async function makeStore(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'concurrengine-cli-store-'));
  dirs.push(dir);
  const store = await openFileSnapshotStore(dir, { worker: false });
  for (let t = 1; t <= 3; t++) {
    const pages = [0, 1, 2, 3].map((i) => new Uint8Array(1000).fill(i === t ? 100 + t : i));
    await store.writeTick({ tick: t, meta: new Uint8Array([t]), pages });
  }
  await store.close();
  return dir;
}

describe('concurrengine inspect', () => {
  it('prints ticks, sizes, shared pages and the dedupe ratio', async () => {
    const dir = await makeStore();
    const { io, out } = capture();
    expect(await main(['inspect', dir], { io })).toBe(0);
    expect(out()).toContain(`${dir}: snapshot store`);
    expect(out()).toMatch(/ticks +3 \(1 … 3\)/);
    expect(out()).toMatch(/pages stored +7 /);
    expect(out()).toMatch(/shared pages +4 page/);
    expect(out()).toMatch(/dedupe ratio +1\.71x/);
  });

  it('--json gives the statistics', async () => {
    const dir = await makeStore();
    const { io, out } = capture();
    expect(await main(['inspect', dir, '--json'], { io })).toBe(0);
    const stats = JSON.parse(out()) as { ticks: number; pages: number; pageRefs: number; perTick: Array<{ tick: number; sharedWithPrevious: number }> };
    expect(stats).toMatchObject({ ticks: 3, pages: 7, pageRefs: 12 });
    expect(stats.perTick.map((t) => t.sharedWithPrevious)).toEqual([0, 2, 2]);
  });

  it('a folder that is not a store is exit 2 with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concurrengine-cli-empty-'));
    dirs.push(dir);
    const { io, err } = capture();
    expect(await main(['inspect', dir], { io })).toBe(2);
    expect(err()).toContain('is not a snapshot store');
    expect(readdirSync(dir)).toEqual([]);
    expect(await main(['inspect'], { io })).toBe(2);
    expect(err()).toContain('missing <dir>');
  });
});

describe('concurrengine verify', () => {
  it('exit 0 on an intact store', async () => {
    const dir = await makeStore();
    const { io, out } = capture();
    expect(await main(['verify', dir], { io })).toBe(0);
    expect(out()).toContain(`${dir}: ok — 3 tick(s), 7 page record(s)`);
  });

  it('exit 2 on a corrupted one, naming tick, file and offset (the real bin)', async () => {
    const dir = await makeStore();
    const segment = join(dir, readdirSync(dir).find((n) => n.endsWith('.cseg'))!);
    const data = readFileSync(segment);
    const at = data.indexOf(Buffer.alloc(1000, 102)); // tick 2's own page
    data[at + 10]! ^= 0xff;
    writeFileSync(segment, data);
    const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [bin, 'verify', dir], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('CORRUPT — 1 of 3 tick(s) unreadable');
    expect(result.stderr).toContain(`tick 2: SNAPSHOT_CORRUPT in ${segment} at offset ${at - 40}`);
    expect(result.stderr).toContain('The other 2 tick(s) read back intact.');

    const { io, out } = capture();
    expect(await main(['verify', dir, '--json'], { io })).toBe(2);
    const report = JSON.parse(out()) as { ok: boolean; problems: Array<{ tick: number; file: string; offset: number }> };
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ tick: 2, file: segment, offset: at - 40 })]);
  });
});
