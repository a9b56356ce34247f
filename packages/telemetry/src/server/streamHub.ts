/**
 * The dashboard's Server-Sent Events stream. One frame is built per interval and written to every
 * client; the timer runs only while a client is connected. A client whose socket does not drain
 * (more than `maxBufferedBytes` unsent) skips frames instead of buffering them, and is dropped
 * after `stallTimeoutMs` of that, so a slow or vanished client cannot grow memory.
 */
import type { ServerResponse } from 'node:http';
import { TelemetryError } from '../errors.js';
import type { DashboardFrame } from '../frame.js';

export interface StreamHubOptions {
  readonly frame: () => DashboardFrame;
  readonly intervalMs: number;
  readonly maxClients: number;
  readonly maxBufferedBytes: number;
  readonly stallTimeoutMs: number;
  readonly onError: (error: TelemetryError) => void;
}

export interface StreamStats {
  readonly clients: number;
  readonly framesBuilt: number;
  readonly framesSent: number;
  /** Frames not written to a client because its socket had not drained. */
  readonly framesSkipped: number;
  /** Clients disconnected for not draining. */
  readonly clientsDropped: number;
}

export interface StreamHub {
  /** Starts streaming to `res`; false (and nothing written) when `maxClients` are connected. */
  attach(res: ServerResponse): boolean;
  stats(): StreamStats;
  /** Ends every stream and stops the timer. */
  close(): void;
}

interface Client {
  readonly res: ServerResponse;
  stalledSince: number;
}

/** Creates a hub with no clients. */
export function createStreamHub(options: StreamHubOptions): StreamHub {
  const clients = new Set<Client>();
  let timer: NodeJS.Timeout | undefined;
  let latest = '';
  let failing = false;
  const counts = { framesBuilt: 0, framesSent: 0, framesSkipped: 0, clientsDropped: 0 };

  const build = (): void => {
    try {
      latest = `data: ${JSON.stringify(options.frame())}\n\n`;
      counts.framesBuilt++;
      failing = false;
    } catch (error) {
      // Reported once per run of failures, not ten times a second.
      if (!failing) {
        options.onError(error instanceof TelemetryError ? error : new TelemetryError('TELEMETRY_SERVER_ERROR', 'building a dashboard frame failed', { cause: error }));
      }
      failing = true;
      return;
    }
    const now = Date.now();
    for (const client of clients) {
      if (client.res.writableLength > options.maxBufferedBytes) {
        counts.framesSkipped++;
        if (client.stalledSince === 0) client.stalledSince = now;
        else if (now - client.stalledSince > options.stallTimeoutMs) {
          counts.clientsDropped++;
          clients.delete(client);
          client.res.destroy();
        }
        continue;
      }
      client.stalledSince = 0;
      client.res.write(latest);
      counts.framesSent++;
    }
  };

  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  return {
    attach(res) {
      if (clients.size >= options.maxClients) return false;
      const client: Client = { res, stalledSince: 0 };
      clients.add(client);
      const detach = (): void => {
        clients.delete(client);
        if (clients.size === 0) stop();
      };
      res.on('close', detach);
      res.on('error', detach);
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.write('retry: 1000\n\n');
      if (latest === '') build();
      else {
        res.write(latest);
        counts.framesSent++;
      }
      if (timer === undefined) {
        timer = setInterval(build, options.intervalMs);
        timer.unref();
      }
      return true;
    },
    stats: () => ({ clients: clients.size, ...counts }),
    close() {
      stop();
      for (const client of clients) client.res.end();
      clients.clear();
    },
  };
}
