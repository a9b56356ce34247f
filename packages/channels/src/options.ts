/** Validation of the options both implementations share. */
import type { ChannelOptions, OverflowStrategy } from './channel.js';
import { ChannelError } from './errors.js';

/** Strategy codes as stored in the control block. */
export const STRATEGIES: readonly OverflowStrategy[] = ['back-pressure', 'drop-newest', 'drop-oldest', 'error'];

export const DEFAULT_CRITICAL_CAPACITY = 16;
export const DEFAULT_STARVATION_LIMIT = 32;

/** Options with defaults applied. */
export interface ResolvedOptions {
  readonly capacity: number;
  readonly criticalCapacity: number;
  readonly strategy: OverflowStrategy;
  readonly strategyCode: number;
  readonly starvationLimit: number;
}

function positiveInt(name: string, value: number, min: number, powerOfTwo: boolean): number {
  const ok = Number.isInteger(value) && value >= min && value <= 1 << 24 && (!powerOfTwo || (value & (value - 1)) === 0);
  if (!ok) {
    const expected = powerOfTwo ? `a power of two in [${min}, 2^24]` : `an integer in [${min}, 2^24]`;
    throw new ChannelError('CHANNEL_INVALID_OPTION', `${name} must be ${expected}; got ${String(value)}`);
  }
  return value;
}

/** Applies defaults and checks ranges; `powerOfTwo` for the cross-thread ring. */
export function resolveOptions(options: ChannelOptions, powerOfTwo: boolean): ResolvedOptions {
  const min = powerOfTwo ? 2 : 1;
  const strategy = options.strategy ?? 'back-pressure';
  const strategyCode = STRATEGIES.indexOf(strategy);
  if (strategyCode < 0) {
    throw new ChannelError('CHANNEL_INVALID_OPTION', `strategy must be one of ${STRATEGIES.join(', ')}; got ${JSON.stringify(strategy)}`);
  }
  return {
    capacity: positiveInt('capacity', options.capacity, min, powerOfTwo),
    criticalCapacity: positiveInt('criticalCapacity', options.criticalCapacity ?? DEFAULT_CRITICAL_CAPACITY, min, powerOfTwo),
    strategy,
    strategyCode,
    starvationLimit: positiveInt('starvationLimit', options.starvationLimit ?? DEFAULT_STARVATION_LIMIT, 1, false),
  };
}
