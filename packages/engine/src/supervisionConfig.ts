/**
 * `[supervision]` and `retain_ticks` of a loaded config → the engine's options: the actor policy
 * in ticks at the tick rate (durations are converted by `@concurrengine/supervisor`'s
 * `parsePolicy`), the isolation level, and the in-memory retention that lets a dead worker's jobs
 * be redone from pre-job copies.
 */
import type { ConcurrengineConfig, SupervisionConfig } from '@concurrengine/config';
import type { RetentionPolicy } from '@concurrengine/lifecycle';
import { parsePolicy, type ActorGroupPolicy, type BackoffPolicy } from '@concurrengine/supervisor';

import { EngineError } from './errors.js';
import type { SupervisionOptions } from './supervision.js';

/** The whole `[supervision]` section (every key, defaults filling the gaps) at the config's own tick rate. */
export function supervisionFromConfig(config: ConcurrengineConfig): { supervision: SupervisionOptions; retention?: RetentionPolicy } {
  const { policy, isolation } = parsePolicy({ ...config.supervision }, { tickRateHz: config.engine.tickRateHz });
  const retainTicks = config.engine.retainTicks;
  return { supervision: { policy, isolation }, ...(retainTicks > 0 ? { retention: { recent: retainTicks } } : {}) };
}

/**
 * The `[supervision]` keys a config set (`set`, config units) over a program's `.supervise()`,
 * key by key, durations in ticks at `tickRateHz`. Without a program policy, the config's own
 * (its defaults for the keys not set). With one: `restart_policy` picks the restart type and the
 * backoff's kind; each backoff delay, `max_restarts`, `restart_window` and `isolation` replaces
 * the program's only when set; `restartFrom` and `groupIntensity` (no config keys) stay.
 * @throws EngineError ENGINE_INVALID_ARGUMENT when the merged exponential backoff starts above its maximum.
 */
export function supervisionOver(program: SupervisionOptions | undefined, set: Partial<SupervisionConfig>, tickRateHz: number): SupervisionOptions {
  const configured = parsePolicy({ ...set }, { tickRateHz });
  if (program === undefined) return { policy: configured.policy, isolation: configured.isolation };
  // Every duration in ticks, whatever kind of backoff the config's policy has.
  const ticks = parsePolicy({ ...set, restartPolicy: 'exponential-backoff' }, { tickRateHz }).policy;
  const exp = ticks.backoff as Extract<BackoffPolicy, { kind: 'exponential' }>;
  const own = program.policy;
  const kind = set.restartPolicy !== undefined ? configured.policy.backoff.kind : own.backoff.kind;
  // A delay the config set; else the program's, where its backoff has one; else the config's default.
  const pick = (key: keyof SupervisionConfig, programs: number | undefined, configs: number): number => (set[key] !== undefined || programs === undefined ? configs : programs);
  const ownExp = own.backoff.kind === 'exponential' ? own.backoff : undefined;
  let backoff: BackoffPolicy;
  switch (kind) {
    case 'none':
      backoff = { kind: 'none' };
      break;
    case 'fixed':
      backoff = { kind: 'fixed', delay: pick('backoffMinMs', own.backoff.kind === 'fixed' ? own.backoff.delay : undefined, exp.min) };
      break;
    case 'exponential':
      backoff = {
        kind: 'exponential',
        min: pick('backoffMinMs', ownExp?.min, exp.min),
        max: pick('backoffMaxMs', ownExp?.max, exp.max),
        jitter: ownExp?.jitter ?? exp.jitter,
        resetAfter: pick('resetAfterMs', ownExp?.resetAfter, exp.resetAfter),
      };
      if (backoff.min > backoff.max) {
        throw new EngineError('ENGINE_INVALID_ARGUMENT', `supervision backoff starts above its maximum (${backoff.min} > ${backoff.max} ticks): the program's .supervise() and the config's [supervision] disagree — set both backoff_min and backoff_max`);
      }
      break;
  }
  const policy: ActorGroupPolicy = {
    restart: set.restartPolicy !== undefined ? configured.policy.restart : own.restart,
    backoff,
    maxRestarts: set.maxRestarts !== undefined ? configured.policy.maxRestarts : own.maxRestarts,
    within: set.restartWindowMs !== undefined ? ticks.within : own.within,
  };
  const isolation = set.isolation !== undefined ? configured.isolation : program.isolation;
  return { ...program, policy, ...(isolation !== undefined ? { isolation } : {}) };
}
