/// <reference lib="dom" />
// DOM types for the functions that run inside the page (src/ is built without them, by tsconfig.build.json).
/**
 * The dashboard in a real browser: Debian's chromium (installed with apt-get when missing, by
 * @concurrengine/browser-testing) driven by playwright-core loads the page from a running exporter fed by a simulated
 * engine, and must draw every view from live data and keep updating it. A screenshot is saved to
 * `.test-results/dashboard.png`.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@concurrengine/browser-testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelemetry, type RunningTelemetry } from '../src/index.js';
import { createFakeSource, type FakeSource } from '../src/testing.js';
import { createSimulatedWorld } from './fixtures/simulatedWorld.js';

const ARTIFACTS = fileURLToPath(new URL('../.test-results/', import.meta.url));

let browser: Browser;
let page: Page;
let source: FakeSource;
let telemetry: RunningTelemetry;
let ticking: NodeJS.Timeout;
const pageErrors: string[] = [];

interface Drawn {
  frames: number;
  drawn: { threads?: number; tickPoints?: number; budgetY?: number; queuePoints?: number; heatCells?: number; restarts?: number | null; sorts?: number | null };
}

const dashboard = (): Promise<Drawn> => page.evaluate(() => (window as unknown as { __dashboard: Drawn }).__dashboard);

/** Pixels of `canvasId` matching `rgb` within ±40 per channel, in row `y` (or the whole canvas). */
const countPixels = (canvasId: string, rgb: readonly [number, number, number], y?: number): Promise<number> =>
  page.evaluate(
    ([id, [r, g, b], row]) => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      const data = canvas.getContext('2d')?.getImageData(0, row ?? 0, canvas.width, row === undefined ? canvas.height : 1).data ?? new Uint8ClampedArray();
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs((data[i] ?? 0) - r) < 40 && Math.abs((data[i + 1] ?? 0) - g) < 40 && Math.abs((data[i + 2] ?? 0) - b) < 40 && (data[i + 3] ?? 0) > 128) n++;
      }
      return n;
    },
    [canvasId, rgb, y] as const,
  );

const canvasHash = (id: string): Promise<string> => page.evaluate((canvasId) => (document.getElementById(canvasId) as HTMLCanvasElement).toDataURL(), id);

beforeAll(async () => {
  source = createFakeSource();
  telemetry = await startTelemetry({ source, endpoint: { port: 0 }, sampleRate: 0.05 });
  const world = createSimulatedWorld(source, telemetry);
  for (let i = 0; i < 30; i++) world.step();
  ticking = setInterval(() => world.step(), 16);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => void (message.type() === 'error' && pageErrors.push(message.text())));
  await page.goto(telemetry.server.url);
  await page.waitForFunction(() => ((window as unknown as { __dashboard?: Drawn }).__dashboard?.frames ?? 0) >= 5, undefined, { timeout: 10_000 });
}, 200_000);

afterAll(async () => {
  clearInterval(ticking);
  await browser?.close();
  await telemetry?.close();
});

describe('dashboard in chromium', () => {
  it('draws the thread pool, queue chart, heat map, tick chart with its budget line, the lifecycle state, the supervision and spatial index panels', async () => {
    // Under load frames arrive late: wait for the charts to have drawn some points (a hang fails at 60 s).
    await page.waitForFunction(() => {
      const drawn = (window as unknown as { __dashboard: Drawn }).__dashboard.drawn;
      return (drawn.queuePoints ?? 0) > 3 && (drawn.tickPoints ?? 0) > 10;
    }, undefined, { timeout: 60_000 });
    const state = await dashboard();
    expect(state.drawn.threads).toBe(2);
    const busy = await page.locator('#threads .worker').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-busy'))));
    expect(busy.every((b) => b > 0 && b <= 1)).toBe(true);
    expect(await page.locator('#threads .worker .rate').first().textContent()).toMatch(/\/s local · .*\/s stolen\s*steals \d+/);

    expect(state.drawn.queuePoints).toBeGreaterThan(3);
    expect(await page.locator('#queue-legend [data-tier]').count()).toBe(4);
    // Under load fewer frames have arrived: the line grows as they do, so poll its pixels (a line
    // that is never drawn still fails, at the poll's timeout) instead of counting them once.
    await page.waitForFunction(() => ((window as unknown as { __dashboard: Drawn }).__dashboard.drawn.queuePoints ?? 0) >= 10, undefined, { timeout: 20_000 });
    await expect.poll(() => countPixels('queues', [59, 130, 246]), { timeout: 30_000, interval: 250 }).toBeGreaterThan(50); // the `normal` tier line

    expect(state.drawn.heatCells).toBe(32);
    expect(await countPixels('heat', [255, 0, 40])).toBeGreaterThan(100); // hot cells are red

    expect(state.drawn.tickPoints).toBeGreaterThan(10);
    expect(await countPixels('ticks', [229, 72, 77], Math.floor(state.drawn.budgetY ?? -1))).toBeGreaterThan(200); // dashed red line
    expect(await page.locator('#tick-info').textContent()).toMatch(/p50 \d+\.\d\d ms · overruns \d+/);
    expect(await page.locator('#lifecycle').getAttribute('data-state')).toBe('running');
    expect(await page.locator('#trace li').count()).toBeGreaterThan(0);
    const figure = (name: string) => page.locator(`#recovery [data-figure="${name}"] dd`).textContent();
    const shown = await page.evaluate(() => [
      document.querySelector('#recovery [data-figure="restarts"] dd')?.textContent,
      (window as unknown as { __dashboard: Drawn }).__dashboard.drawn.restarts,
    ]);
    expect(shown[0]).toMatch(/^\d+$/);
    expect(Number(shown[0])).toBe(shown[1]); // read together: a frame may land between two reads
    expect(await figure('lastRedoMs')).toBe('3.1 ms');
    expect(await figure('bytesWritten')).toMatch(/^\d+(\.\d)? (B|KiB|MiB)$/);
    expect(await page.locator('#recovery-info').textContent()).toBe('');
    const spatial = (name: string) => page.locator(`#spatial [data-figure="${name}"] dd`).textContent();
    const sorts = await page.evaluate(() => [
      document.querySelector('#spatial [data-figure="sorts"] dd')?.textContent,
      (window as unknown as { __dashboard: Drawn }).__dashboard.drawn.sorts,
    ]);
    expect(Number(sorts[0])).toBe(sorts[1]);
    expect(await spatial('lastSortMs')).toBe('151.4 ms');
    expect(await spatial('indexMs')).toMatch(/^\d+\.\d ms$/);
    expect(await spatial('outside')).toBe('3');
    expect(await page.locator('#spatial-info').textContent()).toBe('(adaptive-octree)');
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('keeps updating from live data', async () => {
    const before = { state: await dashboard(), tick: await page.locator('#tick').textContent(), heat: await canvasHash('heat'), ticks: await canvasHash('ticks') };
    source.lifecycleState = 'paused';
    await page.waitForFunction((n) => (window as unknown as { __dashboard: Drawn }).__dashboard.frames >= n + 8, before.state.frames, { timeout: 5_000 });
    await page.waitForFunction(() => document.getElementById('lifecycle')?.getAttribute('data-state') === 'paused', undefined, { timeout: 2_000 });
    expect(await page.locator('#lifecycle').textContent()).toBe('paused');
    expect(await page.locator('#tick').textContent()).not.toBe(before.tick);
    expect(await canvasHash('heat')).not.toBe(before.heat);
    expect(await canvasHash('ticks')).not.toBe(before.ticks);
    source.lifecycleState = 'running';
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
