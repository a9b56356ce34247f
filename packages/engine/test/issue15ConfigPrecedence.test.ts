/**
 * Issue 15 item 3: a config file applies only the keys it (or the environment) sets, over the
 * program's own builder calls — a file that only turns snapshots on records the simulation the
 * program makes without it. Item 7: `snapshot_keep` reaches the store through `config(file)`.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openFileSnapshotStore } from '@concurrengine/snapshot';
import { afterAll, describe, expect, it } from 'vitest';

import { describeStoredTick, Engine, EngineError, supervisionOver, type EngineBuilder, type SupervisionOptions } from '../src/index.js';
import { populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const root = mkdtempSync(join(tmpdir(), 'concurrengine-issue15-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let files = 0;
/** A config file with `body` (no telemetry unless it says so) whose snapshots go to a directory of its own. */
function configFile(body: string): { file: string; snapshots: string } {
  const snapshots = join(root, `snapshots-${++files}`);
  const file = join(root, `c${files}.toml`);
  writeFileSync(file, `[engine]\nsnapshot_dir = ${JSON.stringify(snapshots)}\n${body}\n`);
  return { file, snapshots };
}

/** The program's own choices: seed 7 and a policy unlike the config's defaults (fixed backoff, removal after 3 restarts). */
const PROGRAM_SUPERVISION: SupervisionOptions = {
  policy: { restart: 'transient', backoff: { kind: 'fixed', delay: 2 }, maxRestarts: 3, within: 50 },
  isolation: 'partition',
};
const program = (): EngineBuilder => Engine.builder().threads(1).seed(7).supervise(PROGRAM_SUPERVISION).actorModules(SIM);

/** Builds, runs `ticks` ticks over 300 walkers, closes; returns the final hash and (with snapshots) the stored ticks and what the last one recorded. */
async function runOf(builder: EngineBuilder, snapshots?: string, ticks = 6) {
  const engine = builder.build();
  populate((n, init) => engine.spawn(Walker, n, init), 300, false);
  await engine.step(ticks);
  const hash = engine.stateHash();
  await engine.close();
  if (snapshots === undefined) return { hash };
  const runs = readdirSync(snapshots);
  expect(runs).toHaveLength(1);
  const store = await openFileSnapshotStore(join(snapshots, runs[0]!), { worker: false });
  try {
    const stored = await store.listTicks();
    return { hash, info: await describeStoredTick(store, stored[stored.length - 1]!), ticks: stored };
  } finally {
    await store.close();
  }
}

describe('issue 15: config(file) applies only the keys it sets', () => {
  it('keeps the program\'s .seed(7) and .supervise() under a file that only sets snapshot_interval and exporter = "none"', async () => {
    const bare = await runOf(program());
    const { file, snapshots } = configFile('snapshot_interval = 2\n[telemetry]\nexporter = "none"');
    const configured = await runOf(program().config(file), snapshots);
    expect(configured.info).toMatchObject({ seed: 7, supervision: PROGRAM_SUPERVISION });
    expect(configured.hash).toBe(bare.hash);
    // The order of the calls does not matter: the file sets neither.
    const { file: again, snapshots: dir } = configFile('snapshot_interval = 2\n[telemetry]\nexporter = "none"');
    expect((await runOf(Engine.builder().config(again).threads(1).seed(7).supervise(PROGRAM_SUPERVISION).actorModules(SIM), dir)).hash).toBe(bare.hash);
  }, 60_000);

  it('overrides the program with the keys the file sets: seed, and [supervision] key by key', async () => {
    const bare = await runOf(program());
    const { file, snapshots } = configFile('snapshot_interval = 2\nseed = 9\ntick_rate = "10hz"\n[supervision]\nmax_restarts = 5\nbackoff_min = "300ms"\n[telemetry]\nexporter = "none"');
    const configured = await runOf(program().config(file), snapshots);
    // backoff_min = 300 ms is 3 ticks at 10 Hz; the program's restart type, window and isolation stay.
    expect(configured.info).toMatchObject({ seed: 9, tickRateHz: 10, supervision: { policy: { restart: 'transient', backoff: { kind: 'fixed', delay: 3 }, maxRestarts: 5, within: 50 }, isolation: 'partition' } });
    expect(configured.hash).not.toBe(bare.hash);
  }, 60_000);

  it('takes the seed from CONCURRENGINE_ENGINE__SEED over the program (the environment counts as set)', async () => {
    const { file, snapshots } = configFile('snapshot_interval = 2\n[telemetry]\nexporter = "none"');
    process.env['CONCURRENGINE_ENGINE__SEED'] = '11';
    try {
      expect((await runOf(program().config(file), snapshots)).info).toMatchObject({ seed: 11, supervision: PROGRAM_SUPERVISION });
    } finally {
      delete process.env['CONCURRENGINE_ENGINE__SEED'];
    }
  }, 60_000);
});

describe('supervisionOver', () => {
  const exponential: SupervisionOptions = { policy: { restart: 'permanent', backoff: { kind: 'exponential', min: 2, max: 40, jitter: 0.5, resetAfter: 99 }, maxRestarts: 4, within: 30 }, restartFrom: 'initial' };

  it('is the config\'s own policy without a program policy, and the program\'s where the config set nothing of it', () => {
    expect(supervisionOver(undefined, { maxRestarts: 16 }, 60)).toEqual({ policy: { restart: 'permanent', backoff: { kind: 'exponential', min: 1, max: 300, jitter: 0.2, resetAfter: 1800 }, maxRestarts: 16, within: 300 }, isolation: 'actor' });
    expect(supervisionOver(exponential, { strategy: 'one-for-all' }, 60)).toEqual(exponential);
    expect(supervisionOver(exponential, { backoffMaxMs: 1000 }, 60)).toEqual({ ...exponential, policy: { ...exponential.policy, backoff: { kind: 'exponential', min: 2, max: 60, jitter: 0.5, resetAfter: 99 } } });
    // restart_policy picks the kind; delays the file did not set keep the program's.
    expect(supervisionOver(exponential, { restartPolicy: 'exponential-backoff' }, 60).policy).toEqual(exponential.policy);
    expect(supervisionOver(exponential, { restartPolicy: 'never', isolation: 'worker' }, 60)).toEqual({ ...exponential, isolation: 'worker', policy: { ...exponential.policy, restart: 'temporary', backoff: { kind: 'none' } } });
    expect(supervisionOver(exponential, { restartPolicy: 'fixed-backoff' }, 60).policy.backoff).toEqual({ kind: 'fixed', delay: 1 }); // the config's default backoff_min, 10 ms
  });

  it('refuses a merged backoff that starts above its maximum, with a typed error', () => {
    expect(() => supervisionOver(exponential, { backoffMinMs: 2000 }, 60)).toThrowError(EngineError);
    expect(() => supervisionOver(exponential, { backoffMinMs: 2000 }, 60)).toThrowError(/backoff starts above its maximum \(120 > 40 ticks\)/);
  });
});

describe('issue 15: snapshot_keep through config(file)', () => {
  const keepConfig = (keep: string) => configFile(`snapshot_interval = 1\n${keep}\nsnapshot_max_queued = 64\nthreads = 1\n[telemetry]\nexporter = "none"`);

  it('keeps the newest snapshot_keep stored ticks; without the key 16, with 0 every one', async () => {
    // Every tick stored: ticks 0…8, 9 writes. A compaction after every 3rd write keeps the newest
    // 3; the 9th write's is the last, so exactly ticks 6, 7 and 8 are left.
    const three = keepConfig('snapshot_keep = 3');
    expect((await runOf(Engine.builder().config(three.file).actorModules(SIM), three.snapshots, 8)).ticks).toEqual([6, 7, 8]);
    const unset = keepConfig('');
    expect((await runOf(Engine.builder().config(unset.file).actorModules(SIM), unset.snapshots, 8)).ticks).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const all = keepConfig('snapshot_keep = 0');
    expect((await runOf(Engine.builder().config(all.file).actorModules(SIM), all.snapshots, 8)).ticks).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  }, 60_000);

  it('between two compactions holds the newest ticks, at most 2 · snapshot_keep − 1 of them', async () => {
    // 10 writes: the last compaction (after the 9th) keeps 3, and the 10th may land before or after it.
    const three = keepConfig('snapshot_keep = 3');
    const ticks = (await runOf(Engine.builder().config(three.file).actorModules(SIM), three.snapshots, 9)).ticks ?? [];
    expect(ticks.length === 3 || ticks.length === 4).toBe(true);
    expect(ticks).toEqual([6, 7, 8, 9].slice(4 - ticks.length));
  }, 60_000);
});
