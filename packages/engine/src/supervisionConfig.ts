/**
 * `[supervision]` and `retain_ticks` of a loaded config → the engine's options: the actor policy
 * in ticks at the configured tick rate (durations are converted by `@concurrengine/supervisor`'s
 * `parsePolicy`), the isolation level, and the in-memory retention that lets a dead worker's jobs
 * be redone from pre-job copies.
 */
import type { ConcurrengineConfig } from '@concurrengine/config';
import type { RetentionPolicy } from '@concurrengine/lifecycle';
import { parsePolicy } from '@concurrengine/supervisor';

import type { SupervisionOptions } from './supervision.js';

export function supervisionFromConfig(config: ConcurrengineConfig): { supervision: SupervisionOptions; retention?: RetentionPolicy } {
  const { policy, isolation } = parsePolicy({ ...config.supervision }, { tickRateHz: config.engine.tickRateHz });
  const retainTicks = config.engine.retainTicks;
  return { supervision: { policy, isolation }, ...(retainTicks > 0 ? { retention: { recent: retainTicks } } : {}) };
}
