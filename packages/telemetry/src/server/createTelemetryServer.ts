/**
 * The HTTP exporter. It listens on loopback unless told otherwise, reports the address it bound
 * (port 0 picks a free one), turns a taken port into `TELEMETRY_PORT_IN_USE`, and never throws into
 * the caller after it started: failures go to `onError` (default: `process.emitWarning`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelemetryError, type TelemetryErrorCode } from '../errors.js';
import type { TelemetryFeed } from '../telemetry.js';
import { formatEndpoint, resolveEndpoint, type Endpoint } from './endpoint.js';
import { handleRequest } from './routes.js';
import { createStreamHub, type StreamStats } from './streamHub.js';

export interface TelemetryServerOptions {
  /** What to serve: usually the recorder from `createTelemetry`. */
  readonly feed: TelemetryFeed;
  /** Default `127.0.0.1:9090`; `host: '0.0.0.0'` only when you mean every interface. */
  readonly endpoint?: Partial<Endpoint>;
  /** Serve the dashboard and its stream (`[telemetry] dashboard`). Default true. */
  readonly dashboard?: boolean;
  /** Dashboard stream interval. Default 100 ms (10 Hz). */
  readonly streamIntervalMs?: number;
  /** Concurrent dashboard streams. Default 8. */
  readonly maxStreamClients?: number;
  /** Failures after start (a source that throws, a socket error). Default `process.emitWarning`. */
  readonly onError?: (error: TelemetryError) => void;
}

export interface TelemetryServer {
  /** The bound address (the real port when 0 was asked for). */
  readonly endpoint: Endpoint;
  /** `http://host:port/`. */
  readonly url: string;
  streamStats(): StreamStats;
  /** Ends the streams, closes every connection and the listener. Idempotent. */
  close(): Promise<void>;
}

const defaultOnError = (error: TelemetryError): void => process.emitWarning(error);

function bindError(error: NodeJS.ErrnoException, endpoint: Endpoint): TelemetryError {
  const where = formatEndpoint(endpoint);
  const [code, message]: [TelemetryErrorCode, string] =
    error.code === 'EADDRINUSE'
      ? ['TELEMETRY_PORT_IN_USE', `telemetry endpoint ${where} is already in use; free the port or set [telemetry] endpoint to another one`]
      : error.code === 'EACCES'
        ? ['TELEMETRY_BIND_DENIED', `telemetry endpoint ${where}: permission denied (ports below 1024 need privileges)`]
        : ['TELEMETRY_BIND_FAILED', `telemetry endpoint ${where} cannot be bound: ${error.code ?? error.message}`];
  return new TelemetryError(code, message, { cause: error });
}

function listen(server: Server, endpoint: Endpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    const onFail = (error: NodeJS.ErrnoException): void => reject(bindError(error, endpoint));
    server.once('error', onFail);
    server.listen({ host: endpoint.host, port: endpoint.port, exclusive: true }, () => {
      server.off('error', onFail);
      resolve();
    });
  });
}

/** Starts the exporter; resolves once it is listening. Rejects with a `TelemetryError`. */
export async function createTelemetryServer(options: TelemetryServerOptions): Promise<TelemetryServer> {
  const wanted = resolveEndpoint(options.endpoint);
  const onError = options.onError ?? defaultOnError;
  const report = (error: TelemetryError): void => {
    try {
      onError(error);
    } catch (thrown) {
      // The hook itself threw: surface it without unwinding the server's stack.
      setImmediate(() => process.emitWarning(thrown instanceof Error ? thrown : new Error(String(thrown))));
    }
  };
  const hub =
    options.dashboard === false
      ? undefined
      : createStreamHub({
          frame: options.feed.frame,
          intervalMs: options.streamIntervalMs ?? 100,
          maxClients: options.maxStreamClients ?? 8,
          maxBufferedBytes: 256 * 1024,
          stallTimeoutMs: 10_000,
          onError: report,
        });
  const ctx = { feed: options.feed, hub, onError: report };
  const server = createServer({ maxHeaderSize: 8192, requestTimeout: 10_000, headersTimeout: 5_000 }, (req, res) => {
    try {
      handleRequest(ctx, req, res);
    } catch (error) {
      report(new TelemetryError('TELEMETRY_SERVER_ERROR', `handling ${req.method ?? '?'} ${req.url ?? '?'} failed`, { cause: error }));
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  await listen(server, wanted);
  server.on('error', (error) => report(new TelemetryError('TELEMETRY_SERVER_ERROR', `telemetry server error: ${error.message}`, { cause: error })));
  const address = server.address() as AddressInfo;
  const endpoint: Endpoint = { host: address.address, port: address.port };
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    url: `http://${formatEndpoint(endpoint)}/`,
    streamStats: () => hub?.stats() ?? { clients: 0, framesBuilt: 0, framesSent: 0, framesSkipped: 0, clientsDropped: 0 },
    close() {
      closing ??= new Promise<void>((resolve) => {
        hub?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
