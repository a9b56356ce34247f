import { describe, expect, it } from 'vitest';

import { createEngine, EngineError, type HandlerErrorReport } from '../src/index.js';
import { Faulty, Poke } from './fixtures/faulty.js';

const FAULTY = new URL('./fixtures/faulty.ts', import.meta.url).href;
type Mode = 'ok' | 'throw' | 'spawnStranger' | 'badPayload' | 'sendToDead';

async function runWith(threads: number, modes: Mode[]) {
  const engine = createEngine({ threads, seed: 1, actorModules: [FAULTY] });
  const reports: HandlerErrorReport[] = [];
  engine.onHandlerError((r) => reports.push(r));
  engine.spawn(Faulty, modes.length, (a, i) => (a.mode = modes[i]!));
  return { engine, reports };
}

describe('faults and bad input', () => {
  for (const threads of [1, 2]) {
    it(`reports a throwing handler with actor, kind and tick, and leaves the others correct (${threads} thread(s))`, async () => {
      const modes: Mode[] = Array.from({ length: 200 }, (_, i) => (i % 50 === 7 ? 'throw' : 'ok'));
      const { engine, reports } = await runWith(threads, modes);
      try {
        await engine.step(3);
        const refs = engine.refs(Faulty);
        expect(reports).toHaveLength(12);
        expect(reports[0]).toMatchObject({ tick: 0, kind: 'Faulty', actor: refs[7], message: `Error: actor ${refs[7]} refuses tick 0` });
        expect(reports.map((r) => r.tick)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
        // Every actor ran every tick (the throwing ones got to hp += 1 before throwing).
        for (const ref of refs) expect(engine.view(Faulty, ref).hp).toBe(4);
        expect(engine.stats().handlerFailures).toBe(12);
      } finally {
        await engine.close();
      }
    }, 30_000);
  }

  it('turns a spawn of an unregistered kind and a badly typed payload into handler errors, not a crashed loop', async () => {
    const { engine, reports } = await runWith(2, ['spawnStranger', 'badPayload', 'ok']);
    try {
      const refs = engine.refs(Faulty);
      engine.view(Faulty, refs[1]!).target = refs[2]!;
      await engine.step(2);
      expect(reports.map((r) => [r.tick, r.actor, r.message])).toEqual([
        [0, refs[0], expect.stringMatching(/ctx.spawn\(Stranger\): the kind is not registered with the engine/)],
        [0, refs[1], expect.stringContaining('message Poke: field strength = "hard", expected a number')],
        [1, refs[0], expect.stringContaining('Stranger')],
        [1, refs[1], expect.stringContaining('field strength = "hard"')],
      ]);
      expect(engine.stats().actors).toBe(3);
      expect(engine.stats().messagesSent).toBe(0);
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('counts a message to a despawned actor as a dead letter', async () => {
    const engine = createEngine({ threads: 1, actorModules: [FAULTY] });
    try {
      engine.spawn(Faulty, 2);
      const [a, b] = engine.refs(Faulty);
      engine.send(b!, Poke, { strength: 1 });
      await engine.step();
      expect(engine.stats().deadLetters).toBe(0);
      engine.view(Faulty, a!).mode = 'sendToDead';
      engine.view(Faulty, a!).target = b!;
      expect(engine.despawn(b!)).toBe(true);
      expect(engine.despawn(b!)).toBe(false);
      // a sends to b: the sending job routes it, finds no b, and counts it (it is never delivered).
      await engine.step();
      expect(engine.stats().deadLetters).toBe(1);
      expect(engine.stats().messagesSent).toBe(1);
      await engine.step(); // and again the next tick: one more, each counted once
      expect(engine.stats().deadLetters).toBe(2);
      expect(engine.stats().messagesSent).toBe(2);
    } finally {
      await engine.close();
    }
  });

  it('refuses bad arguments with typed errors', async () => {
    const engine = createEngine({ threads: 1, actorModules: [FAULTY] });
    try {
      expect(() => createEngine({ threads: 0 })).toThrowError(expect.objectContaining({ code: 'ENGINE_INVALID_ARGUMENT' }));
      expect(() => engine.spawn(Faulty, -1)).toThrowError(EngineError);
      expect(() => engine.send(-5 as never, Poke, { strength: 1 })).toThrowError(/not an actor ref/);
      engine.spawn(Faulty, 1);
      const [a] = engine.refs(Faulty);
      expect(() => engine.send(a!, Poke, { strength: 1 }, { priority: 'urgent' as never })).toThrowError(/priority "urgent" is not one of/);
      expect(() => engine.send(a!, Poke, { strength: 'x' } as never)).toThrowError(expect.objectContaining({ code: 'ACTOR_PAYLOAD_INVALID' }));
      expect(() => (engine.view(Faulty, a!).mode = 'sideways' as never)).toThrowError(expect.objectContaining({ code: 'ACTOR_FIELD_TYPE' }));
      await expect(engine.step()).resolves.toBeUndefined();
    } finally {
      await engine.close();
    }
  });
});
