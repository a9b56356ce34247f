import { createServer } from 'node:net';

import { METRIC_SPECS } from '@concurrengine/telemetry';
import { parseExposition } from '@concurrengine/telemetry/testing';
import { describe, expect, it } from 'vitest';

import { createEngine } from '../src/index.js';
import { populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;

describe('telemetry wiring', () => {
  it('serves the engine’s metrics over real HTTP while it runs', async () => {
    const engine = createEngine({ threads: 2, seed: 5, actorModules: [SIM], telemetry: { endpoint: { host: '127.0.0.1', port: 0 } } });
    try {
      populate((n, init) => engine.spawn(Walker, n, init), 500);
      await engine.run({ ticks: 12 });
      const url = engine.telemetryUrl();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const response = await fetch(`${url}metrics`);
      expect(response.status).toBe(200);
      const metrics = parseExposition(await response.text());
      expect(metrics.value('concurrengine_tick_duration_seconds_count')).toBe(12);
      expect(metrics.value('concurrengine_actors', { kind: 'Walker' })).toBe(engine.stats().actors);
      expect(metrics.value('concurrengine_events_emitted_total', { kind: 'Walker' })).toBe(engine.stats().eventsEmitted);
      expect(metrics.value('concurrengine_lifecycle_state', { state: 'paused' })).toBe(1);
      const local = metrics.value('concurrengine_dispatches_total', { worker: '0', path: 'local' }) ?? 0;
      expect(local).toBeGreaterThan(0);
      // Every family is exported with its documented type.
      for (const spec of METRIC_SPECS) expect(metrics.types.get(spec.name), spec.name).toBe(spec.type);
      // Counters only increase between scrapes, and follow what the engine did.
      await engine.run({ ticks: 5 });
      const later = parseExposition(await (await fetch(`${url}metrics`)).text());
      expect(later.value('concurrengine_tick_duration_seconds_count')).toBe(17);
      for (const sample of metrics.samples) {
        const type = metrics.types.get(sample.name.replace(/_(bucket|sum|count)$/, '')) ?? metrics.types.get(sample.name);
        if (type !== 'counter' && !(type === 'histogram' && !sample.name.endsWith('_sum'))) continue;
        expect(later.value(sample.name, sample.labels), sample.name).toBeGreaterThanOrEqual(sample.value);
      }
      const page = await fetch(url!);
      expect(await page.text()).toContain('<canvas');
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('runs on without telemetry when its port is taken, says why, and its supervisor brings it up once the port is free', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const errors: Error[] = [];
    const restarts: number[] = [];
    const engine = createEngine({
      threads: 1,
      actorModules: [SIM],
      telemetry: { endpoint: { host: '127.0.0.1', port }, onError: (e) => errors.push(e) },
      infrastructure: { backoff: { kind: 'fixed', delay: 100 }, intensity: { maxRestarts: 50, withinMs: 60_000 }, onEvent: (e) => e.type === 'restart' && restarts.push(e.delay) },
    });
    try {
      populate((n, init) => engine.spawn(Walker, n, init), 10);
      await engine.step(3);
      expect(engine.stats().tick).toBe(3);
      expect(engine.telemetryUrl()).toBeUndefined();
      expect(errors[0]).toEqual(expect.objectContaining({ code: 'TELEMETRY_PORT_IN_USE', message: expect.stringContaining(String(port)) }));
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      for (let i = 0; i < 100 && !engine.telemetryUrl(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(engine.telemetryUrl()).toBe(`http://127.0.0.1:${port}/`);
      expect(restarts.length).toBeGreaterThan(0);
      expect(restarts.every((delay) => delay === 100)).toBe(true);
      const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scrape.status).toBe(200);
    } finally {
      await engine.close();
      blocker.close();
    }
  });
});
