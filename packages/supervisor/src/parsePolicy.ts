/**
 * The engine's `[supervision]` config section → an {@link ActorGroupPolicy}. Accepts the resolved
 * `SupervisionConfig` of `@concurrengine/config` (camelCase, durations in ms) or the raw TOML
 * table (snake_case keys, durations as ms numbers or strings such as `"250ms"`, `"5s"`). Keys it
 * does not know are ignored (the config package rejects those); missing keys take the config
 * package's defaults.
 */
import type { ActorGroupPolicy } from './actorSupervisionGroup.js';
import { show, SupervisorError } from './errors.js';
import type { BackoffPolicy, RestartType } from './policy.js';

/** `restart_policy` values, as the config package spells them. */
export type RestartPolicyName = 'exponential-backoff' | 'fixed-backoff' | 'immediate' | 'never';
/** What a failure takes down with it (`isolation`). */
export type IsolationLevel = 'actor' | 'partition' | 'worker';
/** OTP strategy for tree supervisors, from the config's `strategy` (`one-for-one` → `one_for_one`). */
export type StaticStrategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

export interface ParsePolicyOptions {
  /** Converts durations to ticks (`ceil(ms · hz / 1000)`); without it the policy is in ms. */
  readonly tickRateHz?: number;
  /** Jitter of `exponential-backoff` (the config has no key for it; default 0.2, Akka's usual `randomFactor`). */
  readonly jitter?: number;
}

export interface ParsedSupervision {
  readonly policy: ActorGroupPolicy;
  readonly isolation: IsolationLevel;
  readonly strategy: StaticStrategy;
}

/** The config package's defaults for `[supervision]`. */
const DEFAULTS = {
  restart_policy: 'exponential-backoff',
  strategy: 'one-for-one',
  max_restarts: 10,
  restart_window: 5_000,
  backoff_min: 10,
  backoff_max: 5_000,
  reset_after: 30_000,
  isolation: 'actor',
} as const;

type Key = keyof typeof DEFAULTS;
const CAMEL: Record<Key, string> = {
  restart_policy: 'restartPolicy',
  strategy: 'strategy',
  max_restarts: 'maxRestarts',
  restart_window: 'restartWindowMs',
  backoff_min: 'backoffMinMs',
  backoff_max: 'backoffMaxMs',
  reset_after: 'resetAfterMs',
  isolation: 'isolation',
};
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

function bad(key: Key, value: unknown, expected: string): SupervisorError {
  return new SupervisorError('SUPERVISOR_INVALID_CONFIG', `supervision.${key}: expected ${expected}, got ${show(value)}`, {
    key: `supervision.${key}`,
  });
}

/**
 * Maps `[supervision]` to a group policy: `exponential-backoff` → exponential backoff from
 * `backoff_min` to `backoff_max` with `reset_after`; `fixed-backoff` → fixed `backoff_min`;
 * `immediate` → no backoff; `never` → temporary (a failed actor is removed). Intensity is
 * `max_restarts` within `restart_window`.
 * @throws SupervisorError `SUPERVISOR_INVALID_CONFIG` whose `key` names the bad key (`supervision.max_restarts`).
 * @example parsePolicy({ restart_policy: 'fixed-backoff', backoff_min: '100ms' }, { tickRateHz: 60 }).policy.backoff // { kind: 'fixed', delay: 6 }
 */
export function parsePolicy(config: Readonly<Record<string, unknown>> = {}, options: ParsePolicyOptions = {}): ParsedSupervision {
  const { tickRateHz, jitter = 0.2 } = options;
  if (tickRateHz !== undefined && !(typeof tickRateHz === 'number' && tickRateHz > 0 && Number.isFinite(tickRateHz))) {
    throw new SupervisorError('SUPERVISOR_INVALID_CONFIG', `tickRateHz must be a positive number, got ${show(tickRateHz)}`, { key: 'engine.tick_rate' });
  }
  if (!(typeof jitter === 'number' && jitter >= 0 && jitter <= 1)) {
    throw new SupervisorError('SUPERVISOR_INVALID_POLICY', `parsePolicy: jitter must be a number from 0 to 1, got ${show(jitter)}`);
  }
  const get = (key: Key): unknown => config[key] ?? config[CAMEL[key]] ?? DEFAULTS[key];
  const oneOf = <T extends string>(key: Key, values: readonly T[]): T => {
    const v = get(key);
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    throw bad(key, v, `one of ${values.map((x) => `"${x}"`).join(', ')}`);
  };
  const duration = (key: Key, min: number): number => {
    const v = get(key);
    let ms: number | undefined;
    if (typeof v === 'number') ms = v;
    else if (typeof v === 'string') {
      const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(v);
      if (m) ms = Number(m[1]) * UNIT_MS[m[2]!]!;
    }
    if (ms === undefined || !Number.isFinite(ms) || ms < min) {
      throw bad(key, v, `a duration of at least ${min} ms (a number of ms, or a string with a unit: ms, s, m, h)`);
    }
    // Round up, so a non-zero duration never becomes zero ticks.
    return tickRateHz === undefined ? Math.ceil(ms) : Math.ceil((ms * tickRateHz) / 1000 - 1e-9);
  };

  const restartPolicy = oneOf<RestartPolicyName>('restart_policy', ['exponential-backoff', 'fixed-backoff', 'immediate', 'never']);
  const strategy = oneOf('strategy', ['one-for-one', 'one-for-all', 'rest-for-one'] as const);
  const isolation = oneOf<IsolationLevel>('isolation', ['actor', 'partition', 'worker']);
  const maxRestarts = get('max_restarts');
  if (!(typeof maxRestarts === 'number' && Number.isInteger(maxRestarts) && maxRestarts >= 0 && maxRestarts <= 1_000_000)) {
    throw bad('max_restarts', maxRestarts, 'an integer from 0 to 1000000');
  }
  const within = duration('restart_window', 1);
  const min = duration('backoff_min', 0);
  const max = duration('backoff_max', 0);
  if (min > max) throw bad('backoff_min', get('backoff_min'), `a duration not larger than supervision.backoff_max (${show(get('backoff_max'))})`);
  const resetAfter = duration('reset_after', 0);

  let restart: RestartType = 'permanent';
  let backoff: BackoffPolicy;
  switch (restartPolicy) {
    case 'exponential-backoff':
      backoff = { kind: 'exponential', min, max, jitter, resetAfter };
      break;
    case 'fixed-backoff':
      backoff = { kind: 'fixed', delay: min };
      break;
    case 'immediate':
      backoff = { kind: 'none' };
      break;
    case 'never':
      restart = 'temporary';
      backoff = { kind: 'none' };
      break;
  }
  return {
    policy: { restart, backoff, maxRestarts, within },
    isolation,
    strategy: strategy.replaceAll('-', '_') as StaticStrategy,
  };
}
