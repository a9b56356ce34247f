/**
 * What telemetry costs the tick loop, and how fast `/metrics` answers.
 *
 * 1. overhead: the brief's example at 1M actors (SoA `position += velocity · dt`, one thread) run
 *    back to back for a fixed time, each tick followed by a yield to the event loop, with telemetry
 *    off, then on: `recordTick` + trace events of the sampled 1 % of actors every tick, the exporter
 *    serving a separate process that scrapes `/metrics` every second and holds the dashboard
 *    stream (10 Hz) open. Per pair: (ms/tick on ÷ ms/tick off − 1) in %. Goal ≤ 2 %. On a shared
 *    2-core machine this difference is noisy, so the same windows also account telemetry's own
 *    main-thread time (hooks, `metrics()`, `frame()`) as a share of wall time: the cost without
 *    the noise (it leaves out HTTP parsing, socket writes and GC, which the A/B figure includes).
 * 2. scrape latency: an HTTP GET of `/metrics` (2 workers, 3 channels, 1,024 partitions, 2 kinds).
 * 3. render: `metrics()` pulling from the source vs prom-client's own render of the same series
 *    set by hand beforehand (what wiring prom-client yourself costs at scrape time).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createBenchSuite, summarize } from '@concurrengine/bench-harness';
import { Gauge, Registry } from 'prom-client';
import { createTelemetry, createTelemetryServer, startTelemetry, type Telemetry, type TelemetryFeed } from '@concurrengine/telemetry';
import { ACTORS, createBenchWorld } from './fixtures/world.js';

const SEED = 1;
const SAMPLE_MS = 750;
const PAIRS = 20;
const world = createBenchWorld(SEED);
let sinkTotal = 0;

const client = fork(new URL('./fixtures/loadClient.mjs', import.meta.url), { stdio: 'inherit' });
const reply = (key: 'ready' | 'stopped'): Promise<Record<string, unknown>> =>
  new Promise((resolve) => {
    const on = (message: Record<string, unknown>): void => {
      if (message[key] === undefined) return;
      client.off('message', on);
      resolve(message);
    };
    client.on('message', on);
  });

// The 1 % of actors the engine would mark as sampled at spawn (sample_rate = 0.01), decided once.
const sampled = (() => {
  const probe = createTelemetry({ sampleRate: 0.01 });
  const ids: number[] = [];
  for (let i = 0; i < ACTORS; i++) if (probe.isSampled(i)) ids.push(i);
  return Int32Array.from(ids);
})();

/** Main-thread time spent on telemetry during "on" windows, in ms. */
let accountedMs = 0;

/** Runs ticks for `SAMPLE_MS` and returns wall ms per tick (work + event-loop turns). */
async function runTicks(telemetry: Telemetry | undefined): Promise<number> {
  globalThis.gc?.();
  const start = performance.now();
  let ticks = 0;
  while (performance.now() - start < SAMPLE_MS) {
    const t0 = performance.now();
    sinkTotal += world.step();
    if (telemetry !== undefined) {
      const t1 = performance.now();
      telemetry.traceEvents(world.tick, 'PositionChanged', sampled);
      telemetry.recordTick((t1 - t0) / 1000, world.tick);
      accountedMs += performance.now() - t1;
    }
    ticks++;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return (performance.now() - start) / ticks;
}

// One exporter for the whole run; between "on" windows it has no client and nothing calls it,
// which costs the loop nothing (an idle listening socket), so "off" is telemetry off.
const recorder = createTelemetry({ source: world.source, sampleRate: 0.01 });
const accountedFeed: TelemetryFeed = {
  contentType: recorder.contentType,
  async metrics() {
    const t0 = performance.now();
    const text = await recorder.metrics();
    accountedMs += performance.now() - t0;
    return text;
  },
  frame() {
    const t0 = performance.now();
    const frame = recorder.frame();
    accountedMs += performance.now() - t0;
    return frame;
  },
};
const exporter = await createTelemetryServer({ feed: accountedFeed, endpoint: { port: 0 } });

const pairs: Array<{ off: number; on: number; scrapes: number; frames: number }> = [];
const remoteScrapeMs: number[] = [];
const shares: number[] = [];

async function overheadPair(): Promise<number> {
  const off = await runTicks(undefined);
  const ready = reply('ready');
  client.send({ start: exporter.endpoint.port });
  await ready;
  accountedMs = 0;
  const t0 = performance.now();
  const on = await runTicks(recorder);
  shares.push((accountedMs / (performance.now() - t0)) * 100);
  const stopped = reply('stopped');
  client.send({ stop: true });
  const stats = await stopped;
  pairs.push({ off, on, scrapes: Number(stats['scrapes']), frames: Number(stats['frames']) });
  remoteScrapeMs.push(...(stats['scrapeMs'] as number[]));
  return (on / off - 1) * 100;
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    });
    req.on('error', reject);
    req.end();
  });
}

const scraped = await startTelemetry({ source: world.source, endpoint: { port: 0 } });
// The peer: the same series in a plain prom-client registry, values set before the scrape.
const handRegistry = new Registry();
const handGauges = ['threads', 'queues', 'partitions', 'actors'].map((name) => new Gauge({ name: `hand_${name}`, help: name, labelNames: ['id', 'sub'], registers: [handRegistry] }));
const setByHand = (): void => {
  const r = { threads: world.source.threads?.() ?? [], queues: world.source.queues?.() ?? [], partitions: world.source.partitions?.() ?? [] };
  for (const t of r.threads) for (const sub of ['local', 'stolen', 'steals', 'failed', 'parks', 'busy', 'ratio']) handGauges[0]?.set({ id: String(t.worker), sub }, t.localPops);
  for (const q of r.queues) for (const [tier, d] of Object.entries(q.depth)) handGauges[1]?.set({ id: q.channel, sub: tier }, d);
  for (const p of r.partitions.slice(0, 256)) {
    handGauges[2]?.set({ id: String(p.id), sub: 'actors' }, p.actors);
    handGauges[2]?.set({ id: String(p.id), sub: 'heat' }, p.heat);
  }
  handGauges[3]?.set({ id: 'GameEntity', sub: 'count' }, ACTORS);
};
const RENDERS = 50;

await createBenchSuite({ package: 'telemetry', seed: SEED })
  .measure({ case: 'tick overhead, 1M actors, exporter scraped 1 Hz + dashboard 10 Hz', unit: '%', better: 'lower', samples: PAIRS, limit: 2, ours: { name: 'on vs off, wall ms/tick', sample: overheadPair } })
  // Filled by the pairs above (warm-up included): telemetry's own main-thread time in the "on" windows.
  .measure({ case: 'telemetry main-thread time share (same windows)', unit: '%', better: 'lower', samples: PAIRS, limit: 2, ours: { name: 'accounted', sample: () => shares.shift() ?? NaN } })
  .measure({ case: 'GET /metrics latency', unit: 'ms', better: 'lower', samples: 30, limit: 10, ours: { name: 'exporter', sample: () => get(scraped.server.endpoint.port, '/metrics') } })
  .measure({
    case: 'metrics() render, same series',
    unit: 'ms',
    better: 'lower',
    ours: { name: 'pulled from source', sample: async () => { const t0 = performance.now(); for (let i = 0; i < RENDERS; i++) sinkTotal += (await scraped.metrics()).length; return (performance.now() - t0) / RENDERS; } },
    peer: { name: 'prom-client set by hand', sample: async () => { const t0 = performance.now(); for (let i = 0; i < RENDERS; i++) { setByHand(); sinkTotal += (await handRegistry.metrics()).length; } return (performance.now() - t0) / RENDERS; } },
  })
  .run();

const off = summarize(pairs.map((p) => p.off));
const on = summarize(pairs.map((p) => p.on));
console.log(`ms/tick off median ${off.median.toFixed(3)} (${off.min.toFixed(3)}–${off.max.toFixed(3)}), on median ${on.median.toFixed(3)} (${on.min.toFixed(3)}–${on.max.toFixed(3)}); scrapes ${pairs.map((p) => p.scrapes).join(',')} frames ${pairs.map((p) => p.frames).join(',')}`);
if (remoteScrapeMs.length > 0) console.log(`scrape latency seen by the scraping process while ticking: median ${summarize(remoteScrapeMs).median.toFixed(2)} ms, max ${summarize(remoteScrapeMs).max.toFixed(2)} ms`);
console.log(`sink ${sinkTotal}`);
await scraped.close();
await exporter.close();
client.send({ exit: true });
await once(client, 'exit');
