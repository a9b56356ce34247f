/**
 * A world in which every actor sends one message to a neighbour each tick (a million Pingers,
 * partner = the actor next to it), on 2 threads: messages delivered per second. The sends are
 * written and routed by the jobs into channels' tick plane and read by the jobs that own the
 * recipients' pages the next tick — no message passes through the main thread. Peer: nact routing
 * the same number of messages to the same number of actors in one thread (its only mode).
 */
import { createBenchSuite } from '@concurrengine/bench-harness';
import { createEngine, type ActorRef } from '@concurrengine/engine';

import { createNactPeer } from './nactPeer.js';
import { Pinger } from './pingKinds.js';

const ACTORS = Number(process.env.ACTORS ?? 1_000_000);
const KINDS = new URL('./pingKinds.ts', import.meta.url).href;

const engine = createEngine({ threads: 2, actorModules: [KINDS] });
engine.spawn(Pinger, ACTORS, (p, i) => (p.partner = (i ^ 1) as ActorRef));
await engine.step(20);

const nact = createNactPeer(ACTORS);
const nactRound = nact.round;

async function rate(round: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await round();
  return ACTORS / ((performance.now() - start) / 1000);
}

await createBenchSuite({ package: 'engine', seed: 1 })
  .measure({
    case: `every actor messages a neighbour each tick, ${ACTORS / 1e6}M actors`,
    unit: 'msgs/s',
    better: 'higher',
    samples: 7,
    ours: { name: 'engine, 2 threads (tick plane)', sample: () => rate(() => engine.step()) },
    peer: { name: 'nact 7.6, 1 thread', sample: () => rate(nactRound) },
  })
  .run();
const stats = engine.stats();
console.log(`dead letters ${stats.deadLetters}; nact handled ${nact.handled()}`);
nact.stop();
await engine.close();
