/**
 * The engine's infrastructure under an OTP supervisor with wall-clock backoff: services that talk
 * to the outside world (the metrics exporter, the snapshot store) fail for reasons of their own —
 * a port still taken, a disk full for a while — and are retried with exponential backoff and
 * jitter, independently (one_for_one), up to an intensity; past it the supervisor gives up on
 * them and the simulation runs on without. Nothing here is on the tick loop.
 *
 * Each service is a `Child` that comes up at once and exits with an error when its attempt
 * fails, so a failure — at the first start or later — is a restart, not a crashed engine.
 */
import { createSupervisor, type BackoffPolicy, type Child, type ExitReason, type Supervisor, type SupervisorEvent } from '@concurrengine/supervisor';

/** A service's attempt: resolves once it runs (with a way to stop it) or rejects with why not. */
export interface ServiceAttempt {
  /** Starts it; `failed` reports a failure after it came up (the supervisor restarts it). */
  start(failed: (error: Error) => void): Promise<() => Promise<void>>;
}

export interface InfrastructureOptions {
  readonly backoff?: BackoffPolicy;
  readonly intensity?: { readonly maxRestarts: number; readonly withinMs: number };
  /** Every restart and give-up, for the engine's counters and the user's log. */
  readonly onEvent?: (event: SupervisorEvent) => void;
}

const toError = (thrown: unknown): Error => (thrown instanceof Error ? thrown : new Error(String(thrown)));

const DEFAULT_BACKOFF: BackoffPolicy = { kind: 'exponential', min: 500, max: 30_000, jitter: 0.2, resetAfter: 120_000 };

/**
 * Wraps an attempt as a supervised child: up at once, exiting with the attempt's error. Its
 * `stop()` waits for an attempt still under way and stops what it brings up, so stopping the
 * supervisor (the engine's close) leaves no service starting or stopping behind it (issue 15).
 * `stopFailed` hears about a failed stop that nobody awaits: a service that came up after its
 * child had exited.
 */
function serviceChild(attempt: ServiceAttempt, stopFailed: (error: Error) => void): Child {
  const listeners: ((reason: ExitReason) => void)[] = [];
  let exited = false;
  let stopService: (() => Promise<void>) | undefined;
  const exit = (reason: ExitReason) => {
    if (exited) return;
    exited = true;
    for (const listener of listeners) listener(reason);
  };
  // Never rejects: a failed start is the child's exit, a failed late stop goes to `stopFailed`.
  const started = attempt.start(exit).then(
    async (stop) => {
      if (!exited) {
        stopService = stop;
        return;
      }
      // Exited (or stopped) while starting: the service must not outlive its child.
      await stop().catch((error: unknown) => stopFailed(toError(error)));
    },
    (error: unknown) => exit(toError(error)),
  );
  return {
    async stop() {
      exited = true;
      await started;
      await stopService?.();
    },
    onExit(listener) {
      listeners.push(listener);
    },
  };
}

export async function startInfrastructure(services: Readonly<Record<string, ServiceAttempt>>, options: InfrastructureOptions = {}): Promise<Supervisor> {
  const root = createSupervisor({
    name: 'engine-infrastructure',
    strategy: 'one_for_one',
    intensity: options.intensity ?? { maxRestarts: 5, withinMs: 300_000 },
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    children: Object.entries(services).map(([id, attempt]) => ({
      id,
      restart: 'permanent' as const,
      shutdown: 5_000,
      start: () => serviceChild(attempt, (reason) => options.onEvent?.({ type: 'stopFailed', supervisor: 'engine-infrastructure', id, reason })),
    })),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  await root.start();
  return root;
}
