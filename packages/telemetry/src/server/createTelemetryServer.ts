/**
 * The HTTP exporter, run on a worker thread. Why a thread: a scrape storm once took a 200k-actor
 * run from 60 Hz to 8–23 Hz (issue 15 item 9), because every request was parsed, rendered and
 * written on the engine's thread. Now the worker owns every socket (requests, refusals,
 * timeouts, writes), and the engine's thread does two bounded things only: one render of
 * `/metrics` per `publishIntervalMs` however many clients scrape (scrapeCache.ts), and one
 * dashboard frame per stream interval while a stream is open. A render stays on the engine's
 * thread because the source reads its state (closures over the engine), which a worker cannot.
 *
 * It listens on loopback unless told otherwise, reports the address it bound (port 0 picks a
 * free one), turns a taken port into `TELEMETRY_PORT_IN_USE`, and never throws into the caller
 * after it started: failures go to `onError` (default: `process.emitWarning`).
 */
import { Worker } from 'node:worker_threads';
import { TelemetryError, type TelemetryErrorCode } from '../errors.js';
import type { ExporterCounts } from '../telemetry.js';
import { formatEndpoint, type Endpoint } from './endpoint.js';
import { COUNTER, COUNTER_SLOTS, type MainMessage, type ServerWorkerInit, type WorkerMessage } from './protocol.js';
import { resolveServerOptions, type TelemetryServerOptions } from './serverOptions.js';
import type { StreamStats } from './streamHub.js';

export type { TelemetryServerOptions } from './serverOptions.js';

export interface TelemetryServer {
  /** The bound address (the real port when 0 was asked for). */
  readonly endpoint: Endpoint;
  /** `http://host:port/`. */
  readonly url: string;
  streamStats(): StreamStats;
  /** Refusals and renders so far (also exported as `concurrengine_exporter_*`). */
  exporterCounts(): ExporterCounts;
  /** Ends the streams, closes every connection and the listener, stops the thread. Idempotent. */
  close(): Promise<void>;
}

const defaultOnError = (error: TelemetryError): void => process.emitWarning(error);

function bindError(errno: string | undefined, detail: string, endpoint: Endpoint): TelemetryError {
  const where = formatEndpoint(endpoint);
  const [code, message]: [TelemetryErrorCode, string] =
    errno === 'EADDRINUSE'
      ? ['TELEMETRY_PORT_IN_USE', `telemetry endpoint ${where} is already in use; free the port or set [telemetry] endpoint to another one`]
      : errno === 'EACCES'
        ? ['TELEMETRY_BIND_DENIED', `telemetry endpoint ${where}: permission denied (ports below 1024 need privileges)`]
        : ['TELEMETRY_BIND_FAILED', `telemetry endpoint ${where} cannot be bound: ${errno ?? detail}`];
  return new TelemetryError(code, message, { cause: Object.assign(new Error(detail), { code: errno }) });
}

/** From dist the worker is the compiled `serverWorker.js`; from sources a bootstrap registers tsx first. */
function entryPoint(): { script: URL; entry?: string } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { script: new URL('./serverWorker.js', here) };
  return { script: new URL('./devBootstrap.mjs', here), entry: new URL('./serverWorker.ts', here).href };
}

/** Starts the exporter; resolves once it is listening. Rejects with a `TelemetryError`. */
export async function createTelemetryServer(options: TelemetryServerOptions): Promise<TelemetryServer> {
  const resolved = resolveServerOptions(options);
  const { feed } = options;
  const onError = options.onError ?? defaultOnError;
  const report = (error: TelemetryError): void => {
    try {
      onError(error);
    } catch (thrown) {
      // The hook itself threw: surface it without unwinding the caller's stack.
      setImmediate(() => process.emitWarning(thrown instanceof Error ? thrown : new Error(String(thrown))));
    }
  };
  const counterBlock = new SharedArrayBuffer(COUNTER_SLOTS * 8);
  const counters = new BigUint64Array(counterBlock);
  const read = (slot: number): number => Number(Atomics.load(counters, slot));
  const { script, entry } = entryPoint();
  const init: ServerWorkerInit = { ...resolved, counters: counterBlock, ...(entry !== undefined ? { entry } : {}) };
  const worker = new Worker(script, { workerData: init });
  const post = (message: MainMessage): void => worker.postMessage(message);

  let frameFailing = false;
  let closing: Promise<void> | undefined;
  let exited = false;
  let listening = false;
  const closed = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const started = new Promise<Endpoint>((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'listening':
          listening = true;
          return resolve({ host: message.host, port: message.port });
        case 'bindFailed':
          return reject(bindError(message.errno, message.message, resolved.endpoint));
        case 'render':
          return void feed.metrics().then(
            (text) => post({ type: 'rendered', id: message.id, ok: true, text }),
            (error: unknown) => {
              const wrapped = error instanceof TelemetryError ? error : new TelemetryError('TELEMETRY_SERVER_ERROR', 'collecting /metrics failed', { cause: error });
              report(wrapped);
              post({ type: 'rendered', id: message.id, ok: false, code: wrapped.code });
            },
          );
        case 'frame': {
          let data: string | undefined;
          try {
            data = JSON.stringify(feed.frame());
            frameFailing = false;
          } catch (error) {
            // Reported once per run of failures, not ten times a second.
            if (!frameFailing) report(error instanceof TelemetryError ? error : new TelemetryError('TELEMETRY_SERVER_ERROR', 'building a dashboard frame failed', { cause: error }));
            frameFailing = true;
          }
          return post({ type: 'framed', id: message.id, data });
        }
        case 'error':
          return report(new TelemetryError('TELEMETRY_SERVER_ERROR', message.message, { cause: new Error(message.cause) }));
        case 'closed':
          return void worker.terminate();
      }
    });
    worker.on('error', (error) => {
      const wrapped = new TelemetryError('TELEMETRY_SERVER_ERROR', `the telemetry server's thread failed: ${error.message}`, { cause: error });
      reject(wrapped);
      report(wrapped);
    });
    worker.once('exit', (code) => {
      exited = true;
      reject(new TelemetryError('TELEMETRY_SERVER_ERROR', `the telemetry server's thread exited (code ${code}) before it listened`));
      // Before it listened, the caller gets the rejection instead; after close(), an exit is the plan.
      if (listening && closing === undefined) report(new TelemetryError('TELEMETRY_SERVER_ERROR', `the telemetry server's thread exited (code ${code}); /metrics is no longer served`));
    });
  });
  let endpoint: Endpoint;
  try {
    endpoint = await started;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  const exporterCounts = (): ExporterCounts => ({
    rejected: {
      busy: read(COUNTER.rejectedBusy),
      unauthorized: read(COUNTER.rejectedUnauthorized),
      streams: read(COUNTER.rejectedStreams),
      connections: read(COUNTER.droppedConnections),
    },
    renders: read(COUNTER.renders),
  });
  feed.observeExporter?.(exporterCounts);
  return {
    endpoint,
    url: `http://${formatEndpoint(endpoint)}/`,
    streamStats: () => ({
      clients: read(COUNTER.streamClients),
      framesBuilt: read(COUNTER.framesBuilt),
      framesSent: read(COUNTER.framesSent),
      framesSkipped: read(COUNTER.framesSkipped),
      clientsDropped: read(COUNTER.streamClientsDropped),
    }),
    exporterCounts,
    close() {
      if (closing === undefined) {
        if (!exited) post({ type: 'close' });
        closing = closed;
      }
      return closing;
    },
  };
}
