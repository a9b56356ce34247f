/**
 * Issue 15 item 9, the engine's side: `[telemetry] auth_token`, `max_concurrent_requests` and
 * `publish_interval` from `config(file)` reach the exporter, and `.telemetry({ authToken })` too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createEngine, Engine } from '../src/index.js';
import { populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const root = mkdtempSync(join(tmpdir(), 'concurrengine-issue15-exporter-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (url: string, token?: string): Promise<number> =>
  fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }).then(async (r) => (await r.text(), r.status));

describe('exporter options through the engine', () => {
  it('config(file): auth_token is required on /metrics and the dashboard', async () => {
    const file = join(root, 'auth.toml');
    writeFileSync(file, '[engine]\nsnapshot_interval = 0\n[telemetry]\nendpoint = "127.0.0.1:0"\nauth_token = "engine-token"\nmax_concurrent_requests = 4\npublish_interval = "10ms"\n');
    const engine = Engine.builder().threads(1).actorModules(SIM).config(file).build();
    try {
      populate((n, init) => engine.spawn(Walker, n, init), 50);
      await engine.step(2);
      const url = engine.telemetryUrl()!;
      expect(await get(`${url}metrics`)).toBe(401);
      expect(await get(url)).toBe(401);
      expect(await get(`${url}metrics`, 'wrong')).toBe(401);
      expect(await get(`${url}metrics`, 'engine-token')).toBe(200);
      expect(await get(url, 'engine-token')).toBe(200);
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('.telemetry({ authToken }) does the same, and no token serves openly', async () => {
    const locked = createEngine({ threads: 1, actorModules: [SIM], telemetry: { endpoint: { host: '127.0.0.1', port: 0 }, authToken: 'code-token' } });
    const open = createEngine({ threads: 1, actorModules: [SIM], telemetry: { endpoint: { host: '127.0.0.1', port: 0 } } });
    try {
      populate((n, init) => locked.spawn(Walker, n, init), 20);
      populate((n, init) => open.spawn(Walker, n, init), 20);
      await Promise.all([locked.step(1), open.step(1)]);
      expect(await get(`${locked.telemetryUrl()!}metrics`)).toBe(401);
      expect(await get(`${locked.telemetryUrl()!}metrics`, 'code-token')).toBe(200);
      expect(await get(`${open.telemetryUrl()!}metrics`)).toBe(200);
    } finally {
      await Promise.all([locked.close(), open.close()]);
    }
  }, 30_000);
});
