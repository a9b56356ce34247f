import { describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
import { Born, Moved, populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const TICKS = 25;

async function hashes(threads: number): Promise<{ hashes: string[]; moved: number; born: number; actors: number; near: number }> {
  const engine = createEngine({ threads, seed: 7, actorModules: [SIM], spatial: { cellSize: 4 } });
  let moved = 0;
  let born = 0;
  engine.on(Moved, (batch) => (moved += batch.count));
  engine.on(Born, (batch) => (born += batch.count));
  populate((n, init) => engine.spawn(Walker, n, init), 1500, true);
  const out: string[] = [];
  try {
    for (let t = 0; t < TICKS; t++) {
      await engine.step();
      out.push(engine.stateHash());
    }
    // Actors whose last neighbour query found someone besides themselves.
    const near = engine.refs(Walker).filter((ref) => engine.view(Walker, ref).near >= 2).length;
    return { hashes: out, moved, born, actors: engine.stats().actors, near };
  } finally {
    await engine.close();
  }
}

describe('determinism', () => {
  it('gives the same state hash every tick for 1, 2 and 4 threads, and across runs (messages, spawns, despawns, randomness, neighbours)', async () => {
    const one = await hashes(1);
    const again = await hashes(1);
    const two = await hashes(2);
    const four = await hashes(4);
    expect(new Set(one.hashes).size).toBe(TICKS); // the state really changes every tick
    expect(again).toEqual(one);
    expect(two).toEqual(one);
    expect(four).toEqual(one);
    expect(one.born).toBeGreaterThan(0); // spawns and despawns happened
    expect(one.moved).toBeGreaterThan(TICKS * 1000);
    expect(one.near).toBeGreaterThan(50); // neighbour queries found actors besides themselves
  }, 60_000);
});
