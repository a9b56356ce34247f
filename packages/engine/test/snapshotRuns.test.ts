/** `[engine] snapshot_interval`/`snapshot_dir` through `Engine.builder().config(file)`, one directory per run. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openFileSnapshotStore } from '@concurrengine/snapshot';
import { afterAll, describe, expect, it } from 'vitest';

import { createSnapshotRunDir, describeStoredTick, Engine } from '../src/index.js';
import { populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const root = mkdtempSync(join(tmpdir(), 'concurrengine-runs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('snapshot run directories', () => {
  it('config(file) with snapshot_interval > 0 stores every K-th tick in a new run directory, queueing up to snapshot_max_queued writes; 0 stores nothing', async () => {
    const base = join(root, 'config');
    const file = join(root, 'engine.toml');
    writeFileSync(file, `[engine]\nthreads = 1\nseed = 4\ntick_rate = "30hz"\nsnapshot_interval = 3\nsnapshot_max_queued = 8\nsnapshot_dir = ${JSON.stringify(base)}\n[telemetry]\nexporter = "none"\n`);
    const engine = Engine.builder().config(file).actorModules(SIM).build();
    populate((n, init) => engine.spawn(Walker, n, init), 100, false);
    await engine.step(7);
    // Unpaced steps outrun the disk; with room for 8 writes in flight no due tick is skipped.
    expect(engine.stats().snapshots).toMatchObject({ skipped: 0 });
    await engine.close();
    const runs = readdirSync(base);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(new RegExp(`^run-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-\\d{3}Z-${process.pid}$`));
    const store = await openFileSnapshotStore(join(base, runs[0]!), { worker: false });
    const ticks = await store.listTicks();
    expect(ticks).toEqual([0, 3, 6, 7]);
    const info = await describeStoredTick(store, 2);
    expect(info).toMatchObject({ tick: 2, stored: 0, seed: 4, tickRateHz: 30, ticks, kinds: [{ name: 'Walker', live: 100 }] });
    await expect(describeStoredTick(store, -1)).rejects.toMatchObject({ code: 'ENGINE_TICK_NOT_RETAINED' });
    await store.close();

    writeFileSync(file, `[engine]\nthreads = 1\nsnapshot_interval = 0\nsnapshot_dir = ${JSON.stringify(base)}\n[telemetry]\nexporter = "none"\n`);
    const off = Engine.builder().config(file).actorModules(SIM).build();
    populate((n, init) => off.spawn(Walker, n, init), 10, false);
    await off.step(2);
    expect(off.stats().snapshots).toBeUndefined();
    await off.close();
    expect(readdirSync(base)).toHaveLength(1);
  }, 30_000);

  it('keeps the newest run directories and leaves other entries alone', () => {
    const base = join(root, 'keep');
    mkdirSync(join(base, 'notes'), { recursive: true });
    const made = [1, 2, 3, 4].map((s) => createSnapshotRunDir(base, { now: new Date(Date.UTC(2030, 0, 1, 0, 0, s)), pid: 7 }));
    expect(readdirSync(base).sort()).toEqual(['notes', ...made.slice(1).map((d) => d.slice(base.length + 1))]);
    expect(made[3]).toBe(join(base, 'run-2030-01-01T00-00-04-000Z-7'));
    createSnapshotRunDir(base, { keep: 1, now: new Date(Date.UTC(2030, 0, 1, 0, 0, 5)), pid: 7 });
    expect(readdirSync(base).sort()).toEqual(['notes', 'run-2030-01-01T00-00-05-000Z-7']);
  });
});
