/**
 * `send` throughput on the engine lifecycle, cycling running → paused → stepping → paused →
 * running, against XState 5 (`createActor(createMachine(…)).send`) running the same table, in the
 * same process run. Ours keeps its default bounded history (1024 transitions), as the engine does.
 */
import { createBenchSuite } from '@concurrengine/bench-harness';
import { createEngineLifecycle, ENGINE_LIFECYCLE, type EngineEvent } from '@concurrengine/lifecycle';
import { createActor, createMachine as createXStateMachine } from 'xstate';

const SEED = 1; // no random data: the event sequence is fixed
const CYCLE: readonly EngineEvent[] = ['pause', 'step', 'stepped', 'resume'];

const ours = createEngineLifecycle();
ours.send('start');
ours.send('started');

// The same table for XState, built from our definition so the two cannot drift apart.
const states = Object.fromEntries(ENGINE_LIFECYCLE.states.map((state) => [state, { on: ENGINE_LIFECYCLE.table.get(state)!.toObject() }]));
const peer = createActor(createXStateMachine({ id: 'engine', initial: ENGINE_LIFECYCLE.initial, states })).start();
peer.send({ type: 'start' });
peer.send({ type: 'started' });
const peerEvents = CYCLE.map((type) => ({ type }));

let oursAt = 0;
let peerAt = 0;
await createBenchSuite({ package: 'lifecycle', seed: SEED })
  .compare({
    case: 'send-engine-cycle',
    unit: 'ops/s',
    ours: {
      name: 'lifecycle send',
      run: (ops) => {
        let n = 0;
        for (let i = 0; i < ops; i++) n += ours.send(CYCLE[oursAt++ & 3]!).length;
        return n;
      },
    },
    peer: {
      name: 'xstate 5.33.3 actor.send',
      run: (ops) => {
        for (let i = 0; i < ops; i++) peer.send(peerEvents[peerAt++ & 3]!);
        return peer.getSnapshot().value;
      },
    },
  })
  .run();
// Each side walked its own number of events through the same cycle: check both landed where the cycle says.
const AFTER: readonly string[] = ['running', 'paused', 'stepping', 'paused'];
if (ours.state !== AFTER[oursAt & 3] || peer.getSnapshot().value !== AFTER[peerAt & 3]) {
  throw new Error(`bench out of step: ours ${ours.state}, xstate ${String(peer.getSnapshot().value)}`);
}
