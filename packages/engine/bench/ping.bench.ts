/**
 * Messages between actors in one thread: every actor gets one message per round. Ours: the
 * engine with 1 thread (each tick every Pinger sends one Ping, delivered at the next tick's start,
 * so a tick is one send and one delivery per actor). Sends travel in channels' tick plane: written
 * and routed by the sending job, read by the job that owns the recipient's page. Peers: nact 7 actors and XState 5 actors
 * receiving the same number of messages per round through their normal APIs.
 */
import { createBenchSuite } from '@concurrengine/bench-harness';
import { createEngine, type ActorRef } from '@concurrengine/engine';
import { createActor, createMachine } from 'xstate';

import { createNactPeer } from './nactPeer.js';
import { Pinger } from './pingKinds.js';

const ACTORS = Number(process.env.ACTORS ?? 10_000);
const ROUNDS = 20;
const KINDS = new URL('./pingKinds.ts', import.meta.url).href;

async function pingers(threads: number) {
  const e = createEngine({ threads, actorModules: [KINDS] });
  e.spawn(Pinger, ACTORS, (p, i) => (p.partner = (i ^ 1) as ActorRef)); // refs of kind 0, generation 0: handle = spawn index
  await e.step(50); // warm: the first case should not pay for the JIT
  return e;
}
const engine = await pingers(1);
const engine2 = await pingers(2);

// nact: one stateless actor per receiver; a round dispatches to all and waits until all handled.
const nact = createNactPeer(ACTORS);
const nactRound = nact.round;

// XState: one machine actor per receiver, counting in context.
let xstateHandled = 0;
const counter = createMachine({ on: { PING: { actions: () => void xstateHandled++ } } });
const xstateActors = Array.from({ length: ACTORS }, () => createActor(counter).start());

async function rate(round: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  for (let r = 0; r < ROUNDS; r++) await round();
  return (ACTORS * ROUNDS) / ((performance.now() - start) / 1000);
}
const ours = () => rate(() => engine.step());

await createBenchSuite({ package: 'engine', seed: 1 })
  .measure({ case: `actor messages in one thread, ${ACTORS / 1000}k actors`, unit: 'msgs/s', better: 'higher', samples: 10, ours: { name: 'engine, 1 thread', sample: ours }, peer: { name: 'nact 7.6', sample: () => rate(nactRound) } })
  .measure({
    case: `actor messages in one thread vs XState, ${ACTORS / 1000}k actors`,
    unit: 'msgs/s',
    better: 'higher',
    samples: 10,
    ours: { name: 'engine, 1 thread', sample: ours },
    peer: { name: 'XState 5 actors', sample: () => rate(() => xstateActors.forEach((a) => a.send({ type: 'PING' }))) },
  })
  .measure({
    case: `actor messages on 2 threads (delivery runs in the jobs), ${ACTORS / 1000}k actors`,
    unit: 'msgs/s',
    better: 'higher',
    samples: 10,
    ours: { name: 'engine, 2 threads', sample: () => rate(() => engine2.step()) },
    peer: { name: 'nact 7.6', sample: () => rate(nactRound) },
  })
  .run();
await engine2.close();
const received = engine.refs(Pinger).reduce((n, ref) => n + engine.view(Pinger, ref).received, 0);
console.log(`delivered: ours ${received}, nact ${nact.handled()}, xstate ${xstateHandled}; dead letters ${engine.stats().deadLetters}`);
nact.stop();
await engine.close();
