/** The documented key table, as data: for help texts, docs generators and editors. */
import { KEYS } from './schema.js';
import type { TomlScalar } from './valueTypes.js';

/** One configurable key. */
export interface ConfigKeyInfo {
  /** `engine.tick_rate` */
  readonly keyPath: string;
  /** `CONCURRENGINE_ENGINE__TICK_RATE` */
  readonly envVar: string;
  /** `integer`, `frequency`, `duration`, `enum`, … */
  readonly kind: string;
  /** What a valid value looks like. */
  readonly expected: string;
  /** The default as written in TOML. */
  readonly default: TomlScalar;
  readonly doc: string;
}

/** Every key, in table order. */
export const configKeys: readonly ConfigKeyInfo[] = Object.freeze(
  KEYS.map(({ keyPath, envVar, kind, expected, default: byDefault, doc }) => Object.freeze({ keyPath, envVar, kind, expected, default: byDefault, doc })),
);
