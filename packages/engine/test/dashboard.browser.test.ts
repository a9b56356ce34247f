/// <reference lib="dom" />
/**
 * The dashboard of a running engine in a real browser (Debian chromium through playwright-core,
 * installed by @concurrengine/browser-testing when missing): the page loads from the engine's own
 * exporter and draws threads, queues, the heat map, ticks and the supervision panel (restarts of
 * drilled handler failures) from live data that keeps changing.
 * The screenshot is saved to .test-results/engine-dashboard.png.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '@concurrengine/browser-testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEngine, type Engine, type RunSummary } from '../src/index.js';
import { populate, Walker } from './fixtures/sim.js';

const SIM = new URL('./fixtures/sim.ts', import.meta.url).href;
const ARTIFACTS = fileURLToPath(new URL('../.test-results/', import.meta.url));

interface Drawn {
  frames: number;
  drawn: { threads?: number; tickPoints?: number; budgetY?: number; queuePoints?: number; heatCells?: number; restarts?: number | null };
}

let engine: Engine;
let browser: Browser;
let running: Promise<RunSummary>;

beforeAll(async () => {
  engine = createEngine({
    threads: 2,
    seed: 3,
    actorModules: [SIM],
    telemetry: { endpoint: { host: '127.0.0.1', port: 0 } },
    supervision: { policy: { restart: 'permanent', backoff: { kind: 'exponential', min: 2, max: 8, jitter: 0, resetAfter: 100 }, maxRestarts: 1_000_000, within: 50 } },
  });
  populate((n, init) => engine.spawn(Walker, n, init), 4000);
  engine.drill({ handlerThrowRate: 0.0005 }); // a couple of restarts per tick for the supervision panel
  running = engine.run({ durationMs: 60_000 });
  browser = await launchChromium();
}, 200_000);

afterAll(async () => {
  engine?.stop();
  await running;
  await browser?.close();
  await engine?.close();
});

describe('the engine’s dashboard in chromium', () => {
  it('draws live threads, queues, heat map, tick chart and restarts from the running engine, and keeps updating', async () => {
    while (!engine.telemetryUrl()) await new Promise((r) => setTimeout(r, 20));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(engine.telemetryUrl()!);
    const state = () => page.evaluate(() => (window as unknown as { __dashboard: Drawn }).__dashboard);
    // Frames, then points on every chart: under load the first frames can come before any tick sample.
    await page.waitForFunction(() => {
      const dashboard = (window as unknown as { __dashboard?: Drawn }).__dashboard;
      return (dashboard?.frames ?? 0) >= 10 && (dashboard?.drawn.queuePoints ?? 0) > 0 && (dashboard?.drawn.tickPoints ?? 0) > 0 && (dashboard?.drawn.budgetY ?? 0) > 0;
    }, undefined, { timeout: 60_000 });
    const first = await state();
    expect(first.drawn.threads).toBe(2);
    expect(first.drawn.heatCells).toBeGreaterThan(10); // 4000 walkers spread over the sampled grid
    expect(first.drawn.queuePoints).toBeGreaterThan(0);
    expect(first.drawn.tickPoints).toBeGreaterThan(0);
    expect(first.drawn.budgetY).toBeGreaterThan(0);
    const heat = () => page.evaluate(() => (document.getElementById('heat') as HTMLCanvasElement | null)?.toDataURL() ?? '');
    const before = await heat();
    await page.waitForFunction((n) => ((window as unknown as { __dashboard: Drawn }).__dashboard.frames ?? 0) >= n + 15, first.frames, { timeout: 20_000 });
    expect((await state()).drawn.tickPoints).toBeGreaterThanOrEqual(first.drawn.tickPoints!);
    expect(await heat()).not.toBe(before); // the walkers move, so the heat map changes
    expect(await page.textContent('body')).toMatch(/running/);
    // The supervision panel counts the drilled restarts, as stats() does.
    const shown = await page.evaluate(() => [
      document.querySelector('#recovery [data-figure="restarts"] dd')?.textContent ?? '',
      (window as unknown as { __dashboard: Drawn }).__dashboard.drawn.restarts,
    ] as const);
    expect(shown[0]).toMatch(/^\d+(\.\dk)?$/);
    expect(shown[1]).toBeGreaterThan(0);
    expect(shown[1]).toBeLessThanOrEqual(engine.stats().supervision!.restarts);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}engine-dashboard.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 180_000);
});
