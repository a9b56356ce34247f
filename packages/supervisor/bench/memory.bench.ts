/**
 * Supervision state per actor at 1M actors: ActorSupervisionGroup's typed arrays against one
 * object per child, measured as heap + ArrayBuffer growth after a full GC (run with --expose-gc,
 * as the bench runner does).
 */
import { createBenchSuite, sink } from '@concurrengine/bench-harness';
import { ActorSupervisionGroup } from '@concurrengine/supervisor';

import { N, POLICY, SEED } from './common.js';
import { ObjectPerActorGroup } from './objectPerActor.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (corepack pnpm bench supervisor does)');

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function bytesPerActor(create: () => object): number {
  gc!();
  gc!();
  const before = used();
  const made = create();
  gc!();
  gc!();
  const bytes = (used() - before) / N;
  sink(made);
  return bytes;
}

const declared = new ActorSupervisionGroup({ capacity: N, policy: POLICY }).bytesPerActor;
console.log(`ActorSupervisionGroup declares ${declared} bytes per actor (typed arrays / capacity)`);

await createBenchSuite({ package: 'supervisor', seed: SEED })
  .measure({
    case: 'memory-per-actor-1M',
    unit: 'bytes/actor',
    better: 'lower',
    samples: 5,
    ours: { name: 'ActorSupervisionGroup', sample: () => bytesPerActor(() => new ActorSupervisionGroup({ capacity: N, policy: POLICY, seed: SEED })) },
    peer: { name: 'one object per child', sample: () => bytesPerActor(() => new ObjectPerActorGroup(N, POLICY, SEED)) },
  })
  .run();
