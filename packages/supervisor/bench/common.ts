/** Shared setup of the supervisor benches: 1M actors, one policy, seeded slots. */
import type { ActorGroupPolicy } from '@concurrengine/supervisor';

export const SEED = 42;
export const N = 1_000_000;
/** Backoff as parsePolicy gives for the config defaults at 60 Hz (10 ms … 5 s, reset after 30 s), 16 restarts per 10 s. */
export const POLICY: ActorGroupPolicy = {
  restart: 'permanent',
  backoff: { kind: 'exponential', min: 1, max: 300, jitter: 0.2, resetAfter: 1800 },
  maxRestarts: 16,
  within: 600,
};
