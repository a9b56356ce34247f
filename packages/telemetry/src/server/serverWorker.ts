/**
 * The exporter's worker thread: it owns the listener and every socket, so parsing requests,
 * authentication, refusals, timeouts and writing responses never run on the engine's thread. It
 * asks the engine's thread for a render only when the scrape cache needs one, and for a dashboard
 * frame once per stream interval while a stream is open.
 *
 * Shutdown: (1) the engine's thread posts `close`; (2) the streams end and the listener closes
 * with every connection; (3) `closed` is posted; the engine's thread then terminates the worker.
 */
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { createAuthCheck } from './auth.js';
import { COUNTER, type MainMessage, type ServerWorkerInit, type WorkerMessage } from './protocol.js';
import { handleRequest, type RouteContext } from './routes.js';
import { createScrapeCache, type RenderOutcome } from './scrapeCache.js';
import { createStreamHub } from './streamHub.js';

const init = workerData as ServerWorkerInit;
const port = parentPort!;
const counters = new BigUint64Array(init.counters);
const post = (message: WorkerMessage): void => port.postMessage(message);
const report = (message: string, cause: unknown): void => post({ type: 'error', message, cause: cause instanceof Error ? cause.message : String(cause) });

let nextId = 1;
const waiting = new Map<number, (message: MainMessage) => void>();
const ask = (type: 'render' | 'frame'): Promise<MainMessage> =>
  new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    post({ type, id });
  });

const render = async (): Promise<RenderOutcome> => {
  Atomics.add(counters, COUNTER.renders, 1n);
  const reply = await ask('render');
  if (reply.type !== 'rendered') return { ok: false, code: 'TELEMETRY_SERVER_ERROR' };
  return reply.ok ? { ok: true, text: reply.text } : { ok: false, code: reply.code };
};

const hub = init.dashboard
  ? createStreamHub({
      frame: async () => {
        const reply = await ask('frame');
        return reply.type === 'framed' ? reply.data : undefined;
      },
      intervalMs: init.streamIntervalMs,
      maxClients: init.maxStreamClients,
      maxBufferedBytes: 256 * 1024,
      stallTimeoutMs: 10_000,
      counters,
    })
  : undefined;

const ctx: RouteContext = {
  scrapes: createScrapeCache(render, init.publishIntervalMs),
  contentType: init.contentType,
  hub,
  authorized: init.authToken === '' ? undefined : createAuthCheck(init.authToken),
  maxConcurrentRequests: init.maxConcurrentRequests,
  counters,
  inFlight: 0,
};

// Node checks header and request deadlines only every `connectionsCheckingInterval` (30 s by
// default), so a 5 s headersTimeout alone lets a slow client hold its socket for up to 35 s.
// Checking four times per timeout makes the cut-off land within 1.25× of the documented value.
const server = createServer(
  {
    maxHeaderSize: 8192,
    headersTimeout: init.headersTimeoutMs,
    requestTimeout: init.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.floor(init.headersTimeoutMs / 4)),
  },
  (req, res) => {
    try {
      handleRequest(ctx, req, res);
    } catch (error) {
      report(`handling ${req.method ?? '?'} ${(req.url ?? '?').slice(0, 100)} failed`, error);
      if (!res.headersSent) res.writeHead(500).end();
    }
  },
);
server.maxConnections = init.maxConnections;
server.on('drop', () => void Atomics.add(counters, COUNTER.droppedConnections, 1n));

port.on('message', (message: MainMessage) => {
  if (message.type !== 'close') {
    const resolve = waiting.get(message.id);
    waiting.delete(message.id);
    resolve?.(message);
    return;
  }
  hub?.close();
  server.close(() => post({ type: 'closed' }));
  server.closeAllConnections();
});

server.once('error', (error: NodeJS.ErrnoException) => post({ type: 'bindFailed', errno: error.code, message: error.message }));
server.listen({ host: init.endpoint.host, port: init.endpoint.port, exclusive: true }, () => {
  server.removeAllListeners('error');
  server.on('error', (error) => report(`telemetry server error: ${error.message}`, error));
  const address = server.address();
  if (address === null || typeof address === 'string') return report('telemetry server bound no TCP address', address);
  post({ type: 'listening', host: address.address, port: address.port });
});
