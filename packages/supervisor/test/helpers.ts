/** Shared test helpers: a child harness that logs starts and stops, and a way to settle the mailbox. */
import type { ChildSpec, ExitReason, RestartType } from '../src/index.js';
import { createFakeChild, type FakeChild } from '../src/testing.js';

/**
 * Lets every pending microtask run. Supervisors under a manual clock do all their work in
 * promise continuations, so one macrotask turn settles them; two for margin.
 */
export async function settle(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Logs `start:<id>` and `stop:<id>` in the order a supervisor calls them. */
export interface Harness {
  readonly log: string[];
  /** The latest instance started under each id. */
  readonly children: Map<string, FakeChild>;
  spec(id: string, restart?: RestartType, opts?: { shutdown?: number; failStart?: () => boolean; hangStop?: boolean }): ChildSpec;
  /** A start function for dynamic templates: `args` is the id the test expects. */
  startAs(id: string): FakeChild;
}

export function createHarness(): Harness {
  const log: string[] = [];
  const children = new Map<string, FakeChild>();
  const startAs = (id: string, hangStop = false): FakeChild => {
    log.push(`start:${id}`);
    const child = createFakeChild({
      onStop: () => {
        log.push(`stop:${id}`);
        if (hangStop) return new Promise<void>(() => {});
      },
    });
    children.set(id, child);
    return child;
  };
  return {
    log,
    children,
    startAs: (id) => startAs(id),
    spec(id, restart = 'permanent', opts = {}) {
      return {
        id,
        restart,
        ...(opts.shutdown !== undefined ? { shutdown: opts.shutdown } : {}),
        start: () => {
          if (opts.failStart?.()) {
            log.push(`fail:${id}`);
            throw new Error(`start of ${id} failed`);
          }
          return startAs(id, opts.hangStop);
        },
      };
    },
  };
}

/** Collects a supervisor's exit reason. */
export function exitOf(child: { onExit(l: (r: ExitReason) => void): void }): { reason: ExitReason | undefined } {
  const box: { reason: ExitReason | undefined } = { reason: undefined };
  child.onExit((r) => (box.reason = r));
  return box;
}
