/**
 * Deterministic doubles for tests (published as `@concurrengine/supervisor/testing`): a manual
 * clock whose time moves only when told, and a fake child that crashes or exits on command.
 */
import type { Child, ExitReason } from './child.js';
import type { Clock, Timer } from './clock.js';

/** A {@link Clock} that moves only on `advance`; timers fire synchronously inside it. */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, firing due timers in due-time order (ties in scheduling order),
   * each with `now()` equal to its due time. Timers set by a firing timer fire too if due.
   */
  advance(ms: number): void;
  /** Timers not yet fired or cancelled. */
  readonly pending: number;
  /** Due time of the earliest pending timer, or undefined. */
  nextDue(): number | undefined;
}

interface PendingTimer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
  live: boolean;
}

/** Creates a manual clock starting at `start` (default 0). */
export function createManualClock(start = 0): ManualClock {
  let now = start;
  let seq = 0;
  const timers: PendingTimer[] = [];
  const live = (): PendingTimer[] => timers.filter((t) => t.live);
  const earliest = (): PendingTimer | undefined => {
    let best: PendingTimer | undefined;
    for (const t of timers) if (t.live && (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq))) best = t;
    return best;
  };
  return {
    now: () => now,
    setTimer(ms: number, fn: () => void): Timer {
      const timer: PendingTimer = { due: now + Math.max(0, ms), seq: seq++, fn, live: true };
      timers.push(timer);
      return { cancel: () => void (timer.live = false) };
    },
    advance(ms: number): void {
      const target = now + ms;
      for (;;) {
        const next = earliest();
        if (next === undefined || next.due > target) break;
        next.live = false;
        now = next.due;
        next.fn();
      }
      now = target;
      for (let i = timers.length - 1; i >= 0; i--) if (!timers[i]!.live) timers.splice(i, 1);
    },
    get pending() {
      return live().length;
    },
    nextDue: () => earliest()?.due,
  };
}

/** A child driven by the test. */
export interface FakeChild extends Child {
  /** Exits with `error` (abnormal). */
  crash(error?: Error): void;
  /** Exits by itself with `'normal'` (or `'shutdown'`). */
  exit(reason?: 'normal' | 'shutdown'): void;
  /** True once it exited for any reason. */
  readonly exited: boolean;
  /** The reason it exited with. */
  readonly reason: ExitReason | undefined;
}

export interface FakeChildOptions {
  /** Runs inside `stop()`; its result is awaited (a never-settling promise simulates a hung child). */
  readonly onStop?: () => void | Promise<void>;
}

/** Creates a running fake child. */
export function createFakeChild(options: FakeChildOptions = {}): FakeChild {
  const listeners: Array<(reason: ExitReason) => void> = [];
  let reason: ExitReason | undefined;
  const end = (why: ExitReason): void => {
    if (reason !== undefined) return;
    reason = why;
    for (const l of listeners.splice(0)) l(why);
  };
  return {
    async stop() {
      await options.onStop?.();
      end('shutdown');
    },
    onExit(listener) {
      if (reason !== undefined) {
        const why = reason;
        queueMicrotask(() => listener(why));
      } else listeners.push(listener);
    },
    crash: (error = new Error('crash')) => end(error),
    exit: (why = 'normal') => end(why),
    get exited() {
      return reason !== undefined;
    },
    get reason() {
      return reason;
    },
  };
}
