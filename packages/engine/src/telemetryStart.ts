/**
 * Starting the exporter and dashboard for an engine: the first start is awaited before the first
 * tick (so a scrape right after it sees the engine); if it fails, the engine runs on and an
 * infrastructure supervisor (infrastructure.ts) retries it with wall-clock backoff, reporting each
 * failure and the giving-up to the user's `onError`.
 */
import type { Supervisor } from '@concurrengine/supervisor';
import type { RunningTelemetry } from '@concurrengine/telemetry';

import { startEngineTelemetry, telemetryErrorSink, type EngineTelemetryView, type TelemetryOptions } from './engineTelemetry.js';
import { startInfrastructure, type InfrastructureOptions } from './infrastructure.js';

export interface TelemetryHooks {
  /** Told whenever an exporter is up (at once, or later by the supervisor). */
  started(running: RunningTelemetry): void;
  /** The supervisor that retries, for the engine to stop at close. */
  supervised(supervisor: Supervisor): void;
  /** Whether the engine closed meanwhile (then nothing is retried). */
  closed(): boolean;
}

/** Resolves with the exporter when the first start worked, or undefined when the supervisor took over. */
export async function startSupervisedTelemetry(
  view: EngineTelemetryView,
  options: TelemetryOptions,
  tickSeconds: number,
  infrastructure: InfrastructureOptions | undefined,
  hooks: TelemetryHooks,
): Promise<RunningTelemetry | undefined> {
  const report = telemetryErrorSink(options);
  try {
    const running = await startEngineTelemetry(view, options, tickSeconds);
    hooks.started(running);
    return running;
  } catch (error) {
    report(error as Error);
  }
  if (hooks.closed()) return undefined;
  hooks.supervised(
    await startInfrastructure(
      {
        telemetry: {
          start: async () => {
            const running = await startEngineTelemetry(view, options, tickSeconds);
            hooks.started(running);
            return () => running.close();
          },
        },
      },
      {
        ...infrastructure,
        onEvent: (event) => {
          infrastructure?.onEvent?.(event);
          if (event.type === 'exited' && event.reason instanceof Error) report(event.reason);
          if (event.type === 'escalate') report(new Error(`telemetry: giving up after repeated failures (${event.reason.message})`));
        },
      },
    ),
  );
  return undefined;
}
