/**
 * Issue 15, item 2: `stateHash({ exclude })` is a function of (ref → state) of the actors it
 * covers, whatever slots they sit in. Moving one excluded actor far away changes the octree's
 * derived world box, hence the spatial sort, hence every other actor's slot — and must not change
 * the hash of the others.
 */
import { describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
import { Still } from './fixtures/still.js';

const MODULE = new URL('./fixtures/still.ts', import.meta.url).href;

async function world(firstAt: readonly [number, number, number], threads = 1) {
  const engine = createEngine({ threads, seed: 3, actorModules: [MODULE], spatial: { strategy: 'adaptive-octree' } });
  engine.spawn(Still, 2000, (actor, i) => {
    if (i === 0) actor.position.set(...firstAt);
    else actor.position.set((i * 7919) % 100, (i * 104_729) % 100, (i * 15_485_863) % 100);
    actor.label = i;
  });
  const first = engine.refs(Still)[0]!;
  try {
    await engine.step(3);
    const slots = engine.refs(Still).slice(0, 50);
    return { hash: engine.stateHash(), except: engine.stateHash({ exclude: [first] }), slots };
  } finally {
    await engine.close();
  }
}

describe('stateHash({ exclude }) does not depend on slots (issue 15, item 2)', () => {
  it('two worlds that differ only in an excluded actor hash equal, though the sort laid them out differently', async () => {
    const near = await world([50, 50, 50]);
    const far = await world([5000, 5000, 5000]);
    expect(far.slots).not.toEqual(near.slots); // the sort really put the others in other slots
    expect(far.hash).not.toBe(near.hash);
    expect(far.except).toBe(near.except);
  });

  it('still tells a difference in an actor it covers', async () => {
    const a = await world([50, 50, 50]);
    const engine = createEngine({ threads: 1, seed: 3, actorModules: [MODULE] });
    engine.spawn(Still, 3, (actor, i) => (actor.label = i));
    const refs = engine.refs(Still);
    const before = engine.stateHash({ exclude: [refs[0]!] });
    engine.view(Still, refs[1]!).label = 42;
    const changed = engine.stateHash({ exclude: [refs[0]!] });
    expect(changed).not.toBe(before);
    engine.view(Still, refs[0]!).label = 42;
    expect(engine.stateHash({ exclude: [refs[0]!] })).toBe(changed);
    await engine.close();
    expect(a.except).toMatch(/^[0-9a-f]{16}$/);
  });
});
