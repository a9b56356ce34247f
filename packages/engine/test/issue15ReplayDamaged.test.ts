/**
 * Issue 15 item 6: a restore from disk reads the stored tick it starts from, and of the stored
 * ticks after it only their metas (the inputs they carry), only as far as the re-execution goes.
 * A damaged later tick limits how far a replay can continue, not where it can start. Before, a
 * cold restore read every later stored tick in full: any damaged one failed every replay.
 *
 * Real files: a run stores ticks 0, 5, …, 30 with outside input every tick; bytes of its files
 * are then flipped on disk.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

import { openFileSnapshotStore, type SnapshotStore } from '@concurrengine/snapshot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEngine, type Engine } from '../src/index.js';
import { Ping, populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function simulation(options: Parameters<typeof createEngine>[0] = {}): Engine {
  const engine = createEngine({ threads: 1, seed: 5, actorModules: [SIM], spatial: { cellSize: 4 }, ...options });
  populate((n, init) => engine.spawn(Walker, n, init), 200, true);
  return engine;
}

/** Ticks 0 … 30 with a message every tick and spawns and despawns between ticks; ticks 0, 5, …, 30 stored in `dir`. */
async function record(dir: string): Promise<string[]> {
  const engine = simulation({ snapshots: { dir, every: 5, keep: 100, maxQueued: 16 } });
  const recorded = [engine.stateHash()];
  try {
    for (let t = 0; t < 30; t++) {
      const refs = engine.refs(Walker);
      engine.send(refs[t % refs.length]!, Ping, { amount: t });
      if (t % 7 === 3) engine.spawn(Walker, 2, (w, i) => w.position.set(t, i, 0));
      if (t % 9 === 5) engine.despawn(refs[(t * 13) % refs.length]!);
      await engine.step();
      recorded.push(engine.stateHash());
    }
  } finally {
    await engine.close(); // stores tick 30
  }
  return recorded;
}

/** A copy of the recorded store's directory, to damage. */
function copyOf(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'concurrengine-replay-damaged-'));
  dirs.push(dir);
  for (const name of readdirSync(source)) writeFileSync(join(dir, name), readFileSync(join(source, name)));
  return dir;
}

const manifestOf = (dir: string, tick: number) => join(dir, `tick-${String(tick).padStart(16, '0')}.ctick`);

function flip(file: string, offset: number): void {
  const data = readFileSync(file);
  data[offset]! ^= 0x5a;
  writeFileSync(file, data);
}

/** Flips a payload byte of a page record that stored tick `tick` holds and its stored neighbours do not. */
async function damageAPageOf(dir: string, tick: number): Promise<void> {
  const store = await openFileSnapshotStore(dir, { worker: false });
  const [before, at, after] = await Promise.all([tick - 5, tick, tick + 5].map(async (t) => new Set((await store.readTick(t)).pageKeys)));
  await store.close();
  const key = [...at!].find((k) => !before!.has(k) && !after!.has(k))!;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.cseg'))) {
    const keyAt = readFileSync(join(dir, name)).indexOf(Buffer.from(key, 'hex'));
    if (keyAt >= 0) return flip(join(dir, name), keyAt - 4 + 40 + 8); // record: u32 length, key, CRC, payload
  }
  throw new Error(`page ${key} not found`);
}

/** A store that logs what is read: `tick N` for a whole tick, `meta N` for a meta alone. */
function logged(store: SnapshotStore, log: string[]): SnapshotStore {
  return {
    ...store,
    readTick: (tick) => (log.push(`tick ${tick}`), store.readTick(tick)),
    readMeta: (tick) => (log.push(`meta ${tick}`), store.readMeta!(tick)),
    listTicks: () => store.listTicks(),
    close: () => store.close(),
  };
}

describe('issue 15 item 6: a replay reads only what it needs of the ticks after it', () => {
  let recorded: string[];
  let intact: string;
  beforeAll(async () => {
    intact = mkdtempSync(join(tmpdir(), 'concurrengine-replay-damaged-'));
    dirs.push(intact);
    recorded = await record(intact);
  }, 60_000);

  it('reads the stored tick it starts from, then the metas of later ticks as the re-execution reaches them', async () => {
    const log: string[] = [];
    const store = await openFileSnapshotStore(intact, { worker: false });
    const replay = simulation({ restore: { store: logged(store, log), tick: 7 } });
    try {
      await replay.step(0);
      expect(replay.stateHash()).toBe(recorded[7]);
      expect(log).toEqual(['tick 5', 'meta 10']); // ticks 5 and 6 re-executed on tick 10's inputs
      await replay.step(3);
      expect(log).toEqual(['tick 5', 'meta 10']); // ticks 7 … 9: still tick 10's inputs
      await replay.step(1);
      expect(log).toEqual(['tick 5', 'meta 10', 'meta 15']);
      await replay.step(19);
      expect(replay.stateHash()).toBe(recorded[30]);
      expect(log).toEqual(['tick 5', 'meta 10', 'meta 15', 'meta 20', 'meta 25', 'meta 30']);
    } finally {
      await replay.close();
      await store.close();
    }
  });

  it('replays across a later tick whose pages are damaged: its inputs are in its meta', async () => {
    const dir = copyOf(intact);
    await damageAPageOf(dir, 20);
    const check = await openFileSnapshotStore(dir, { worker: false });
    await expect(check.readTick(20)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    await check.close();

    const replay = simulation({ restore: { dir, tick: 7 } });
    try {
      await replay.step(0);
      expect(replay.stateHash()).toBe(recorded[7]);
      await replay.step(23);
      expect(replay.stateHash()).toBe(recorded[30]);
    } finally {
      await replay.close();
    }
  });

  it('starts before a later tick whose manifest is damaged, and stops where its inputs are needed with a typed error naming it', async () => {
    const dir = copyOf(intact);
    flip(manifestOf(dir, 20), 60); // a byte of its meta: the manifest's checksum fails

    const replay = simulation({ restore: { dir, tick: 7 } });
    try {
      await replay.step(0);
      expect(replay.stateHash()).toBe(recorded[7]);
      await replay.step(8); // ticks 7 … 14: inputs from stored ticks 10 and 15
      expect(replay.stateHash()).toBe(recorded[15]);
      // Tick 15's inputs travel with stored tick 20.
      const error = await replay.step(1).then(
        () => expect.fail('tick 15 ran without its recorded inputs'),
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: 'EngineError', code: 'ENGINE_REPLAY_INPUTS_UNREADABLE' });
      expect((error as Error).message).toContain('stored tick 20');
      expect((error as Error).message).toContain(manifestOf(dir, 20));
      expect((error as Error).cause).toMatchObject({ code: 'SNAPSHOT_CORRUPT', tick: 20 });
      // The replay stopped between ticks, at the last tick it could re-execute.
      expect(replay.stats().tick).toBe(15);
      expect(replay.stateHash()).toBe(recorded[15]);
      expect(replay.state()).toBe('failed');
    } finally {
      await replay.close();
    }

    // A restore whose ticks are all before the damaged one's inputs: unaffected.
    const early = simulation({ restore: { dir, tick: 15 } });
    try {
      await early.step(0);
      expect(early.stateHash()).toBe(recorded[15]);
    } finally {
      await early.close();
    }
    // A restore after it starts from a later stored tick and runs to the end.
    const later = simulation({ restore: { dir, tick: 27 } });
    try {
      await later.step(0);
      expect(later.stateHash()).toBe(recorded[27]);
      await later.step(3);
      expect(later.stateHash()).toBe(recorded[30]);
    } finally {
      await later.close();
    }
    // A restore that needs tick 20's inputs to get there fails with the same error, before any tick is hashed.
    const through = simulation({ restore: { dir, tick: 17 } });
    try {
      await expect(through.step(0)).rejects.toMatchObject({ code: 'ENGINE_REPLAY_INPUTS_UNREADABLE' });
    } finally {
      await through.close();
    }
  });
});
