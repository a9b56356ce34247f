/**
 * The exporter as a server: where it binds, what a taken port gives, how it refuses bad requests,
 * how failures are reported instead of thrown, and the dashboard stream.
 */
import { once } from 'node:events';
import { createServer, connect, type Server, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTelemetry, createTelemetryServer, DEFAULT_ENDPOINT, startTelemetry, TelemetryError, type DashboardFrame, type TelemetryServer } from '../src/index.js';
import { createFakeSource } from '../src/testing.js';
import { readFrames, send } from './fixtures/http.js';
import { createSimulatedWorld } from './fixtures/simulatedWorld.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function serve(options: Parameters<typeof createTelemetryServer>[0]): Promise<TelemetryServer> {
  const server = await createTelemetryServer(options);
  cleanup.push(() => server.close());
  return server;
}

const waitFor = async (check: () => boolean, ms = 30_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('binding', () => {
  it('defaults to loopback (127.0.0.1:9090) and reports the port it bound when asked for port 0', async () => {
    expect(DEFAULT_ENDPOINT).toEqual({ host: '127.0.0.1', port: 9090 });
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 } });
    expect(server.endpoint.host).toBe('127.0.0.1');
    expect(server.endpoint.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.endpoint.port}/`);
  });

  it('binds every interface only when configured', async () => {
    const server = await serve({ feed: createTelemetry(), endpoint: { host: '0.0.0.0', port: 0 } });
    expect(server.endpoint.host).toBe('0.0.0.0');
  });

  it('turns a taken port into TELEMETRY_PORT_IN_USE naming host:port', async () => {
    const squatter: Server = createServer();
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    cleanup.push(() => new Promise<void>((r) => squatter.close(() => r())));
    const port = (squatter.address() as AddressInfo).port;
    const failed = await createTelemetryServer({ feed: createTelemetry(), endpoint: { port } }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TelemetryError);
    expect(failed).toMatchObject({ code: 'TELEMETRY_PORT_IN_USE', message: expect.stringContaining(`127.0.0.1:${port}`) });
  });

  it('refuses bad options with TELEMETRY_INVALID_OPTION', async () => {
    await expect(createTelemetryServer({ feed: createTelemetry(), endpoint: { port: 70_000 } })).rejects.toMatchObject({ code: 'TELEMETRY_INVALID_OPTION' });
    expect(() => createTelemetry({ sampleRate: 2 })).toThrow(expect.objectContaining({ code: 'TELEMETRY_INVALID_OPTION' }));
    expect(() => createTelemetry({ tickBudgetSeconds: 0 })).toThrow(/tickBudgetSeconds/);
  });

  it('closes idempotently; afterwards nothing listens', async () => {
    const server = await createTelemetryServer({ feed: createTelemetry(), endpoint: { port: 0 } });
    await Promise.all([server.close(), server.close()]);
    await expect(send(server, '/metrics')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('requests', () => {
  it('refuses unknown paths, other methods, bodies, long targets and huge headers', async () => {
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 } });
    expect((await send(server, '/nope')).status).toBe(404);
    expect((await send(server, '/metrics', { method: 'POST' })).status).toBe(405);
    expect((await send(server, '/metrics', { method: 'GET', body: 'x'.repeat(100), headers: { 'content-length': '100' } })).status).toBe(413);
    expect((await send(server, `/metrics?${'q'.repeat(3000)}`)).status).toBe(414);
    expect((await send(server, '/metrics', { headers: { 'x-big': 'y'.repeat(20_000) } })).status).toBe(431);
    expect((await send(server, '/metrics?x=1')).status).toBe(200);
  });

  it('serves a self-contained dashboard page (no external URLs) with a strict CSP', async () => {
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 } });
    const page = await send(server, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(page.body).toContain('new EventSource(');
  });

  it('serves only /metrics when the dashboard is off', async () => {
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 }, dashboard: false });
    expect((await send(server, '/')).status).toBe(404);
    expect((await send(server, '/stream')).status).toBe(404);
    expect((await send(server, '/metrics')).status).toBe(200);
  });

  it('reports a throwing source via onError (500 for that scrape) and keeps serving', async () => {
    const source = createFakeSource();
    const onError = vi.fn();
    const server = await serve({ feed: createTelemetry({ source }), endpoint: { port: 0 }, publishIntervalMs: 0, onError });
    source.failWith = new Error('counter block unmapped');
    const failed = await send(server, '/metrics');
    expect(failed.status).toBe(500);
    expect(failed.body).toContain('TELEMETRY_SOURCE_FAILED');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'TELEMETRY_SOURCE_FAILED', cause: source.failWith }));
    source.failWith = undefined;
    expect((await send(server, '/metrics')).status).toBe(200);
  });

  it('survives an onError hook that throws', async () => {
    const source = createFakeSource();
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    cleanup.push(() => warnings.mockRestore());
    const server = await serve({ feed: createTelemetry({ source }), endpoint: { port: 0 }, publishIntervalMs: 0, onError: () => { throw new Error('hook broke'); } });
    source.failWith = new Error('boom');
    expect((await send(server, '/metrics')).status).toBe(500);
    await waitFor(() => warnings.mock.calls.length > 0);
    source.failWith = undefined;
    expect((await send(server, '/metrics')).status).toBe(200);
  });
});

describe('dashboard stream', () => {
  it('delivers frames at the stream rate with live values', async () => {
    const source = createFakeSource();
    const telemetry = await startTelemetry({ source, endpoint: { port: 0 }, streamIntervalMs: 20 });
    cleanup.push(() => telemetry.close());
    const world = createSimulatedWorld(source, telemetry);
    const ticking = setInterval(() => world.step(), 5);
    cleanup.push(() => clearInterval(ticking));
    const frames = (await readFrames(telemetry.server, 5)) as DashboardFrame[];
    const last = frames[4];
    expect(frames.map((f) => f.seq)).toEqual([...frames.map((f) => f.seq)].sort((a, b) => a - b));
    expect(last?.lifecycle).toBe('running');
    expect(last?.threads).toHaveLength(2);
    expect(last?.tick).toBeGreaterThan(frames[0]?.tick ?? Infinity);
    expect(last?.tickBudgetMs).toBeCloseTo(16.667, 3);
    expect(frames.some((f) => f.ticks.length > 0)).toBe(true);
    expect(frames.some((f) => f.partitions !== null && f.partitions.length === 32)).toBe(true);
    expect(Object.keys(last?.tiers ?? {}).sort()).toEqual(['critical', 'high', 'low', 'normal']);
    await waitFor(() => telemetry.server.streamStats().clients === 0);
  });

  it('caps concurrent streams with 503', async () => {
    const server = await serve({ feed: createTelemetry(), endpoint: { port: 0 }, maxStreamClients: 1 });
    const held = connect(server.endpoint.port, '127.0.0.1');
    cleanup.push(() => void held.destroy());
    held.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => server.streamStats().clients === 1);
    expect((await send(server, '/stream')).status).toBe(503);
  });

  it('skips frames for a client that does not read, then drops it when it vanishes', async () => {
    const source = createFakeSource();
    source.partitionStats = Array.from({ length: 4096 }, (_, id) => ({ id, actors: id, heat: id / 7, min: [id, 0, id] as const, max: [id + 1, 1, id + 1] as const }));
    const server = await serve({ feed: createTelemetry({ source }), endpoint: { port: 0 }, streamIntervalMs: 2 });
    const reader = connect(server.endpoint.port, '127.0.0.1');
    reader.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    reader.pause();
    await waitFor(() => server.streamStats().framesSkipped > 20, 30_000);
    expect(server.streamStats().clients).toBe(1);
    reader.destroy();
    await waitFor(() => server.streamStats().clients === 0);
    const built = server.streamStats().framesBuilt;
    await new Promise((r) => setTimeout(r, 50));
    expect(server.streamStats().framesBuilt).toBe(built); // no client, no frames built
  });
});
