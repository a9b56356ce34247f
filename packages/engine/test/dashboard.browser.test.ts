/// <reference lib="dom" />
/**
 * The dashboard of a running engine in a real browser (Debian chromium through playwright-core,
 * installed by @concurrengine/browser-testing when missing): the page loads from the engine's own
 * exporter and draws threads, queues, the heat map and ticks from live data that keeps changing.
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
  drawn: { threads?: number; tickPoints?: number; budgetY?: number; queuePoints?: number; heatCells?: number };
}

let engine: Engine;
let browser: Browser;
let running: Promise<RunSummary>;

beforeAll(async () => {
  engine = createEngine({ threads: 2, seed: 3, actorModules: [SIM], telemetry: { endpoint: { host: '127.0.0.1', port: 0 } } });
  populate((n, init) => engine.spawn(Walker, n, init), 4000);
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
  it('draws live threads, queues, heat map and tick chart from the running engine, and keeps updating', async () => {
    while (!engine.telemetryUrl()) await new Promise((r) => setTimeout(r, 20));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(engine.telemetryUrl()!);
    const state = () => page.evaluate(() => (window as unknown as { __dashboard: Drawn }).__dashboard);
    await page.waitForFunction(() => ((window as unknown as { __dashboard?: Drawn }).__dashboard?.frames ?? 0) >= 10, undefined, { timeout: 20_000 });
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
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}engine-dashboard.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);
});
