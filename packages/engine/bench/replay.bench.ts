/**
 * Restore and replay from a file snapshot store on the brief's example (1M GameEntity, 2 threads):
 * (a) restoring one stored tick in a new engine (`restore`, until `step(0)` resolves: store opened,
 * pages read and checked, world loaded, workers up) against `fs.readFile` of the same page bytes —
 * the limit: the disk (page cache) and nothing else; (b) re-executing 60 ticks from a stored tick
 * with the recorded inputs against the same engine's live ticks right after (ratio ~1 expected:
 * replay is the tick loop). The store lives in a temp dir on the real disk, deleted at the end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';
import { createEngine, type Engine } from '@concurrengine/engine';
import { openFileSnapshotStore } from '@concurrengine/snapshot';

import { GameEntity } from './briefKinds.js';

const N = Number(process.env.ACTORS ?? 1_000_000);
const SEED = 42;
const KINDS = new URL('./briefKinds.ts', import.meta.url).href;
const EVERY = 100; // stored ticks 0, 100, 200
const REPLAY = 60;
/** Replay starts here: the restore re-executes 100…130 first, so workers and JIT are warm when timing starts. */
const FROM = 130;

const prng = createPrng(SEED);
const velocities = Float64Array.from({ length: N * 3 }, () => prng.range(-1, 1));
const spawnInto = (engine: Engine) =>
  engine.spawn(GameEntity, N, (e, i) => e.velocity.set(velocities[i * 3]!, velocities[i * 3 + 1]!, velocities[i * 3 + 2]!));

const dir = mkdtempSync(join(tmpdir(), 'concurrengine-replay-bench-'));
try {
  // The recording: 200 ticks, stored every 100th (and the hash at FROM + REPLAY, to check replays against).
  const recording = createEngine({ threads: 2, seed: SEED, actorModules: [KINDS], snapshots: { dir: join(dir, 'store'), every: EVERY, keep: 100, maxQueued: 4 } });
  spawnInto(recording);
  await recording.step(FROM + REPLAY);
  const expected = recording.stateHash();
  await recording.step(2 * EVERY - FROM - REPLAY);
  await recording.close();
  const store = await openFileSnapshotStore(join(dir, 'store'), { create: false, worker: false });
  const ticks = await store.listTicks();
  if (ticks.join() !== [0, EVERY, 2 * EVERY].join()) throw new Error(`expected stored ticks 0, ${EVERY}, ${2 * EVERY}; got ${ticks.join(', ')}`);
  // The peer's file: exactly the bytes of stored tick 100's pages, in one file on the same disk.
  const pages = (await store.readTick(EVERY)).pages;
  const pageBytes = Buffer.concat(pages.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  await store.close();
  const flat = join(dir, 'tick.bin');
  writeFileSync(flat, pageBytes);
  const restoring = (tick: number, threads = 2) => {
    const engine = createEngine({ threads, seed: SEED, actorModules: [KINDS], restore: { dir: join(dir, 'store'), tick } });
    spawnInto(engine); // the program's spawn; the restore replaces it
    return engine;
  };

  let sink = 0;
  let replaying: Engine | undefined;
  const restoreSample = (threads: number) => async () => {
    const engine = restoring(EVERY, threads);
    const start = performance.now();
    await engine.step(0);
    const ms = performance.now() - start;
    sink += engine.stats().tick;
    await engine.close();
    return ms;
  };
  const readFileSample = async () => {
    const start = performance.now();
    sink += (await readFile(flat)).byteLength;
    return performance.now() - start;
  };
  await createBenchSuite({ package: 'engine', seed: SEED })
    .measure({
      case: `restore a stored tick, ${N / 1e6}M actors (${(pageBytes.byteLength / 2 ** 20).toFixed(0)} MiB of pages)`,
      unit: 'ms',
      better: 'lower',
      samples: 7,
      ours: { name: 'new engine (2 threads) with restore, until step(0) resolves', sample: restoreSample(2) },
      peer: { name: 'fs.readFile of the same bytes (the limit)', sample: readFileSample },
    })
    // The same without the pool's two workers starting up beside it (1 thread: the inline
    // scheduler): what the restore itself costs — open, read and checksum the pages, load the world.
    .measure({
      case: `restore a stored tick, no pool start-up beside it, ${N / 1e6}M actors`,
      unit: 'ms',
      better: 'lower',
      samples: 7,
      ours: { name: 'new engine (1 thread) with restore, until step(0) resolves', sample: restoreSample(1) },
      peer: { name: 'fs.readFile of the same bytes (the limit)', sample: readFileSample },
    })
    .measure({
      case: `replay ${REPLAY} ticks from a stored tick, ${N / 1e6}M actors`,
      unit: 'ticks/s',
      better: 'higher',
      samples: 5,
      ours: {
        name: `re-execute ticks ${FROM}…${FROM + REPLAY} (stored tick ${EVERY}) with the recorded inputs`,
        sample: async () => {
          const engine = restoring(FROM);
          await engine.step(0);
          const start = performance.now();
          await engine.step(REPLAY);
          const seconds = (performance.now() - start) / 1000;
          if (engine.stateHash() !== expected) throw new Error(`replay reached ${engine.stateHash()} at tick ${FROM + REPLAY}; the recording had ${expected}`);
          replaying = engine;
          return REPLAY / seconds;
        },
      },
      peer: {
        name: `the same engine's live ticks after the recording ends (${2 * EVERY}…${2 * EVERY + REPLAY})`,
        sample: async () => {
          const engine = replaying!;
          await engine.step(2 * EVERY - FROM - REPLAY);
          const start = performance.now();
          await engine.step(REPLAY);
          const seconds = (performance.now() - start) / 1000;
          sink += engine.stats().tick;
          await engine.close();
          return REPLAY / seconds;
        },
      },
    })
    .run();
  if (sink === 0) console.log('(sink)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
