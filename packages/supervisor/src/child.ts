/**
 * What a supervisor supervises: anything that can be stopped and reports how it ended. A
 * supervisor is itself a `Child`, so trees nest.
 */
import { show, SupervisorError } from './errors.js';
import { checkRestartType, type RestartType } from './policy.js';

/**
 * How a child ended: `'normal'` (it finished by itself), `'shutdown'` (it was asked to stop, or
 * stopped itself cleanly — OTP's `shutdown`), or the `Error` it crashed with (abnormal).
 */
export type ExitReason = 'normal' | 'shutdown' | Error;

/** A running child. */
export interface Child {
  /** Stops the child; resolves once it has stopped. Called at most once per child by a supervisor. */
  stop(): Promise<void>;
  /**
   * Registers `listener` for the child's exit; it is called once. When the child has already
   * exited, the listener must still be called (at once or in a microtask) with the reason.
   */
  onExit(listener: (reason: ExitReason) => void): void;
}

/** A static child of a supervisor. */
export interface ChildSpec {
  /** Unique among the supervisor's children. */
  readonly id: string;
  /** Starts a fresh child; a throw or rejection is a failed start. */
  readonly start: () => Child | Promise<Child>;
  /** Default `'permanent'`. */
  readonly restart?: RestartType;
  /**
   * Milliseconds `stop()` may take before the supervisor stops waiting (reported as a
   * `stopFailed` event); `Infinity` waits forever. Default 5000 (OTP's worker default).
   */
  readonly shutdown?: number;
}

/** The one child template of a `simple_one_for_one` supervisor; `startChild(args)` instantiates it. */
export interface ChildTemplate<A> {
  readonly start: (args: A) => Child | Promise<Child>;
  readonly restart?: RestartType;
  readonly shutdown?: number;
}

/** True for an abnormal exit (an `Error`); `'normal'` and `'shutdown'` are normal. */
export function isAbnormal(reason: ExitReason): reason is Error {
  return reason !== 'normal' && reason !== 'shutdown';
}

/** Validated form of a spec or template. */
export interface CheckedSpec {
  readonly restart: RestartType;
  readonly shutdown: number;
}

/** @throws SupervisorError `SUPERVISOR_INVALID_SPEC` for a missing start, a bad restart type or shutdown. */
export function checkSpecFields(spec: unknown, where: string, defaultShutdown = 5_000): CheckedSpec {
  if (typeof spec !== 'object' || spec === null) throw new SupervisorError('SUPERVISOR_INVALID_SPEC', `${where}: a child spec must be an object, got ${show(spec)}`);
  const s = spec as Record<string, unknown>;
  if (typeof s.start !== 'function') throw new SupervisorError('SUPERVISOR_INVALID_SPEC', `${where}: start must be a function, got ${show(s.start)}`);
  const restart = checkRestartType(s.restart ?? 'permanent', where, 'SUPERVISOR_INVALID_SPEC');
  const shutdown = s.shutdown ?? defaultShutdown;
  if (!(typeof shutdown === 'number' && shutdown >= 0 && !Number.isNaN(shutdown))) {
    throw new SupervisorError('SUPERVISOR_INVALID_SPEC', `${where}: shutdown must be a non-negative number of ms or Infinity, got ${show(shutdown)}`);
  }
  return { restart, shutdown };
}

/** @throws SupervisorError `SUPERVISOR_INVALID_SPEC` for a missing or empty id. */
export function checkId(spec: unknown, where: string): string {
  const id = (spec as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id === '') throw new SupervisorError('SUPERVISOR_INVALID_SPEC', `${where}: id must be a non-empty string, got ${show(id)}`);
  return id;
}
