import { describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
import { Poke, Recorder } from './fixtures/faulty.js';

const FAULTY = new URL('./fixtures/faulty.ts', import.meta.url).href;

describe('the inbox (external input through a bounded channel)', () => {
  it('delivers critical before high before normal before low, in send order within a tier', async () => {
    const engine = createEngine({ threads: 1, actorModules: [FAULTY] });
    try {
      engine.spawn(Recorder, 1);
      const [r] = engine.refs(Recorder);
      engine.send(r!, Poke, { strength: 1 }, { priority: 'low' });
      engine.send(r!, Poke, { strength: 2 }, { priority: 'normal' });
      engine.send(r!, Poke, { strength: 3 }, { priority: 'critical' });
      engine.send(r!, Poke, { strength: 4 }, { priority: 'high' });
      engine.send(r!, Poke, { strength: 5 }, { priority: 'normal' });
      engine.send(r!, Poke, { strength: 6 }, { priority: 'critical' });
      await engine.step();
      expect(engine.view(Recorder, r!).order).toBe(364_251);
    } finally {
      await engine.close();
    }
  });

  it('refuses a send beyond capacity with ENGINE_INBOX_FULL, and sendAsync waits for the next tick to make room', async () => {
    const engine = createEngine({ threads: 1, actorModules: [FAULTY], inboxCapacity: 2 });
    try {
      engine.spawn(Recorder, 1);
      const [r] = engine.refs(Recorder);
      engine.send(r!, Poke, { strength: 1 });
      engine.send(r!, Poke, { strength: 2 });
      expect(() => engine.send(r!, Poke, { strength: 9 })).toThrowError(expect.objectContaining({ code: 'ENGINE_INBOX_FULL' }));
      engine.send(r!, Poke, { strength: 7 }, { priority: 'high' }); // tiers fill separately
      let waited = false;
      const later = engine.sendAsync(r!, Poke, { strength: 3 }).then(() => (waited = true));
      await Promise.resolve();
      expect(waited).toBe(false);
      await engine.step(); // drains the inbox: room for the waiting sender
      await later;
      await engine.step();
      expect(engine.view(Recorder, r!).order).toBe(7123);
      expect(engine.stats().deadLetters).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
