/**
 * The one call the engine makes: the recorder plus its HTTP exporter, closed together.
 *
 * ```ts
 * const telemetry = config.telemetry.exporter === 'none'
 *   ? noopTelemetry
 *   : await startTelemetry({ source, endpoint: config.telemetry.endpoint, sampleRate: config.telemetry.sampleRate,
 *       dashboard: config.telemetry.dashboard, tickBudgetSeconds: 1 / config.engine.tickRateHz, onError });
 * ```
 */
import { createTelemetry, type TelemetryOptions, type TelemetryRecorder } from './createTelemetry.js';
import { createTelemetryServer, type TelemetryServer, type TelemetryServerOptions } from './server/createTelemetryServer.js';

export type StartTelemetryOptions = TelemetryOptions & Omit<TelemetryServerOptions, 'feed'>;

/** A recorder with its server running; `close()` stops both. */
export interface RunningTelemetry extends TelemetryRecorder {
  readonly server: TelemetryServer;
}

/** Creates the recorder and starts its exporter. Rejects with a `TelemetryError` (e.g. `TELEMETRY_PORT_IN_USE`). */
export async function startTelemetry(options: StartTelemetryOptions = {}): Promise<RunningTelemetry> {
  const recorder = createTelemetry(options);
  const server = await createTelemetryServer({ ...options, feed: recorder });
  return {
    ...recorder,
    server,
    async close() {
      await recorder.close();
      await server.close();
    },
  };
}
