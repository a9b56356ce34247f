/**
 * Issue 15 item 9: a scrape storm starved the tick loop. The exporter now serves from a worker
 * thread, renders `/metrics` at most once per publish interval for every scraper together, bounds
 * requests and connections, cuts off slow clients within the documented time, and can require a
 * token. All over real HTTP on loopback.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry, createTelemetryServer, METRIC, type TelemetryFeed, type TelemetryServer } from '../src/index.js';
import { createFakeSource, parseExposition } from '../src/testing.js';
import { send, type RawResponse } from './fixtures/http.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function serve(options: Parameters<typeof createTelemetryServer>[0]): Promise<TelemetryServer> {
  const server = await createTelemetryServer(options);
  cleanup.push(() => server.close());
  return server;
}

/** A recorder whose renders are counted and can be held until `release()`. */
function gatedFeed(): { feed: TelemetryFeed; renders: () => number; release: () => void } {
  const recorder = createTelemetry({ source: createFakeSource() });
  let renders = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const feed: TelemetryFeed = {
    contentType: recorder.contentType,
    frame: recorder.frame,
    observeExporter: recorder.observeExporter!,
    metrics: async () => {
      renders++;
      await gate;
      return recorder.metrics();
    },
  };
  return { feed, renders: () => renders, release };
}

const waitFor = async (check: () => boolean, ms = 30_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const closeOf = (socket: Socket): Promise<string> =>
  new Promise((resolve) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
  });

describe('scrape storm', () => {
  it('200 concurrent scrapes, twice, cause one render on the engine thread and get the same text', async () => {
    const { feed, renders, release } = gatedFeed();
    // The interval is far longer than the test, so the bound holds however slow the machine is.
    const server = await serve({ feed, endpoint: { port: 0 }, maxConcurrentRequests: 512, maxConnections: 1024, publishIntervalMs: 600_000 });
    const first = Promise.all(Array.from({ length: 200 }, () => send(server, '/metrics')));
    await waitFor(() => renders() === 1);
    release();
    const second = await Promise.all(Array.from({ length: 200 }, () => send(server, '/metrics')));
    const all = [...(await first), ...second];
    expect(all.map((r) => r.status)).toEqual(all.map(() => 200));
    expect(new Set(all.map((r) => r.body)).size).toBe(1);
    expect(renders()).toBe(1);
    expect(server.exporterCounts()).toEqual({ renders: 1, rejected: { busy: 0, unauthorized: 0, streams: 0, connections: 0 } });
  });

  it('serves cached scrapes, refusals and 401s while the engine thread is blocked', async () => {
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 }, publishIntervalMs: 600_000, authToken: 'tok' });
    const auth = { authorization: 'Bearer tok' };
    expect((await send(server, '/metrics', { headers: auth })).status).toBe(200); // fills the cache
    const urls = [`${server.url}metrics`, `${server.url}metrics`, `${server.url}nope`];
    const results = new Int32Array(new SharedArrayBuffer(4 * (1 + urls.length)));
    const start = new Int32Array(new SharedArrayBuffer(4));
    const client = new Worker(new URL('./fixtures/blockedScraper.worker.mjs', import.meta.url), { workerData: { urls, headers: auth, results: results.buffer, start: start.buffer } });
    cleanup.push(() => client.terminate().then(() => undefined));
    await once(client, 'online');
    Atomics.store(start, 0, 1);
    Atomics.notify(start, 0);
    // Block this thread (the engine's, as far as the exporter knows) until every answer is in.
    const deadline = Date.now() + 30_000;
    while (Atomics.load(results, 0) < urls.length && Date.now() < deadline) Atomics.wait(results, 0, Atomics.load(results, 0), 1000);
    expect(Array.from(results.subarray(1))).toEqual([200, 200, 404]);
  });
});

describe('request bound', () => {
  it('answers 503 with Retry-After beyond maxConcurrentRequests, at once, and counts the refusals', async () => {
    const { feed, renders, release } = gatedFeed();
    const server = await serve({ feed, endpoint: { port: 0 }, maxConcurrentRequests: 4, publishIntervalMs: 0 });
    const settled: RawResponse[] = [];
    const all = Promise.all(Array.from({ length: 10 }, () => send(server, '/metrics').then((r) => (settled.push(r), r))));
    // The 503s come back while the 4 admitted scrapes still wait for their render.
    await waitFor(() => settled.length === 6);
    expect(renders()).toBe(1);
    expect(settled.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 503]);
    expect(settled[0]?.headers['retry-after']).toBe('1');
    release();
    expect((await all).filter((r) => r.status === 200)).toHaveLength(4);
    expect(server.exporterCounts().rejected.busy).toBe(6);
    const metrics = parseExposition((await send(server, '/metrics')).body);
    expect(metrics.value(METRIC.exporterRejections.name, { reason: 'busy' })).toBe(6);
  });

  it('closes connections beyond maxConnections at once, and counts them', async () => {
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 }, maxConnections: 2 });
    const held: Socket[] = [];
    for (let i = 0; i < 2; i++) {
      const socket = connect(server.endpoint.port, '127.0.0.1');
      cleanup.push(() => void socket.destroy());
      await once(socket, 'connect');
      held.push(socket);
    }
    const extra = connect(server.endpoint.port, '127.0.0.1');
    cleanup.push(() => void extra.destroy());
    expect(await closeOf(extra)).toBe('');
    await waitFor(() => server.exporterCounts().rejected.connections === 1);
  });
});

describe('timeouts', () => {
  it('cuts off a client that never finishes its request line (slow loris) with 408', async () => {
    // Node checks deadlines every connectionsCheckingInterval (30 s by default): without setting
    // it, this 300 ms timeout would fire only after up to 30 s, past the test's own timeout.
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 }, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const partial = connect(server.endpoint.port, '127.0.0.1', () => partial.write('GET /metr'));
    const silent = connect(server.endpoint.port, '127.0.0.1');
    const headers = connect(server.endpoint.port, '127.0.0.1', () => headers.write('GET /metrics HTTP/1.1\r\nHost: x\r\n'));
    for (const s of [partial, silent, headers]) cleanup.push(() => void s.destroy());
    const answers = await Promise.all([closeOf(partial), closeOf(silent), closeOf(headers)]);
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  }, 60_000);

  it('refuses timeouts that Node would reject', async () => {
    await expect(createTelemetryServer({ feed: createTelemetry(), endpoint: { port: 0 }, headersTimeoutMs: 500, requestTimeoutMs: 100 })).rejects.toMatchObject({ code: 'TELEMETRY_INVALID_OPTION' });
    await expect(createTelemetryServer({ feed: createTelemetry(), endpoint: { port: 0 }, maxConcurrentRequests: 0 })).rejects.toMatchObject({ code: 'TELEMETRY_INVALID_OPTION' });
  });
});

describe('authentication', () => {
  const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('requires the token on /metrics, the dashboard and its stream: 401 with a challenge, else 200', async () => {
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 }, authToken: 's3cret' });
    for (const path of ['/metrics', '/', '/stream']) {
      const refused = await send(server, path);
      expect(refused.status, path).toBe(401);
      expect(String(refused.headers['www-authenticate'])).toMatch(/Basic realm=.*Bearer realm=/);
      expect(refused.body).not.toContain('concurrengine_');
    }
    expect((await send(server, '/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await send(server, '/metrics', { headers: { authorization: 'Bearer s3cre' } })).status).toBe(401);
    expect((await send(server, '/metrics', { headers: { authorization: basic('prometheus', 'nope') } })).status).toBe(401);
    expect((await send(server, '/metrics', { headers: { authorization: 'Digest s3cret' } })).status).toBe(401);
    const ok = await send(server, '/metrics', { headers: { authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('concurrengine_tick');
    expect((await send(server, '/', { headers: { authorization: basic('anyone', 's3cret') } })).status).toBe(200);
    expect(server.exporterCounts().rejected.unauthorized).toBe(7);
    const metrics = parseExposition(ok.body);
    expect(metrics.value(METRIC.exporterRejections.name, { reason: 'unauthorized' })).toBeGreaterThanOrEqual(3);
  });

  it('opens the dashboard stream with basic auth (what a browser sends after the prompt)', async () => {
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 }, authToken: 's3cret' });
    const socket = connect(server.endpoint.port, '127.0.0.1');
    cleanup.push(() => void socket.destroy());
    socket.write(`GET /stream HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic('me', 's3cret')}\r\n\r\n`);
    const [head] = (await once(socket, 'data')) as [Buffer];
    expect(head.toString('utf8')).toMatch(/^HTTP\/1\.1 200 [\s\S]*text\/event-stream/);
  });

  it('serves without a token when none is set', async () => {
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 } });
    expect((await send(server, '/metrics')).status).toBe(200);
  });
});
