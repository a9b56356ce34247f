/**
 * A handler failure names the actor that failed, even when the same boundary frees its slot and
 * a spawn takes it before the failure is read: the report and supervision must not pick the
 * newcomer (which would be restarted — its spawn values lost — and charged with the failure).
 */
import { describe, expect, it } from 'vitest';

import { createEngine, type HandlerErrorReport } from '../src/index.js';
import { Phoenix } from './fixtures/phoenix.js';

const PHOENIX = new URL('./fixtures/phoenix.ts', import.meta.url).href;

describe('handler failure reports', () => {
  for (const threads of [1, 2]) {
    it(`name the failed actor, not the one spawned into its slot at the same boundary (${threads} thread(s))`, async () => {
      const engine = createEngine({ threads, actorModules: [PHOENIX], supervision: { policy: { restart: 'permanent', backoff: { kind: 'none' }, maxRestarts: 5, within: 50 } } });
      engine.spawn(Phoenix, 3, (p, i) => (p.burns = i === 1 ? 1 : 0));
      const [first, burnt, third] = engine.refs(Phoenix);
      const errors: HandlerErrorReport[] = [];
      engine.onHandlerError((r) => errors.push(r));
      try {
        await engine.step();
        expect(errors.map((e) => e.actor)).toEqual([burnt]);
        const after = engine.refs(Phoenix);
        expect(after).toHaveLength(3);
        expect(after).not.toContain(burnt);
        const newcomer = after.find((ref) => ref !== first && ref !== third)!;
        expect(engine.view(Phoenix, newcomer).hp).toBe(42); // its spawn values, not a restart's
        expect(engine.stats().supervision).toMatchObject({ restarts: 0 }); // the failed actor is gone: nothing to restart
      } finally {
        await engine.close();
      }
    }, 20_000);
  }
});
