/**
 * Telemetry's cost on the brief's example: 1M GameEntity on 2 threads, one engine with the
 * exporter running — scraped every second and streaming to a dashboard client, both in a child
 * process as Prometheus and a browser would be — and one without, ticks interleaved in the same
 * run. Goal: ≤ 2 % overhead (ratio ≥ 0.98).
 */
import { spawn } from 'node:child_process';

import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';
import { createEngine } from '@concurrengine/engine';

import { GameEntity } from './briefKinds.js';

const N = Number(process.env.ACTORS ?? 1_000_000);
const KINDS = new URL('./briefKinds.ts', import.meta.url).href;
const prng = createPrng(7);
const velocities = Float64Array.from({ length: N * 3 }, () => prng.range(-1, 1));

async function engineWith(telemetry: boolean) {
  const engine = createEngine({ threads: 2, actorModules: [KINDS], ...(telemetry ? { telemetry: { endpoint: { host: '127.0.0.1', port: 0 } } } : {}) });
  engine.spawn(GameEntity, N, (e, i) => e.velocity.set(velocities[i * 3]!, velocities[i * 3 + 1]!, velocities[i * 3 + 2]!));
  await engine.step(30);
  return engine;
}
const timeTick = async (engine: Awaited<ReturnType<typeof engineWith>>) => {
  const start = performance.now();
  await engine.step();
  return performance.now() - start;
};

const off = await engineWith(false);
const on = await engineWith(true);
const url = on.telemetryUrl()!;
// Prometheus (a scrape a second) and a dashboard (the SSE stream), outside this process.
const watcher = spawn(
  process.execPath,
  [
    '-e',
    `const u=${JSON.stringify(url)};setInterval(()=>fetch(u+'metrics').then(r=>r.text()),1000);` +
      `fetch(u+'stream').then(async r=>{for await (const _ of r.body){}});`,
  ],
  { stdio: 'ignore' },
);

await createBenchSuite({ package: 'engine', seed: 7 })
  .measure({
    case: `brief example tick with telemetry scraped + dashboard open vs off, 2 threads, ${N / 1e6}M actors`,
    unit: 'ms',
    better: 'lower',
    samples: 300,
    ours: { name: 'telemetry on', sample: () => timeTick(on) },
    peer: { name: 'telemetry off', sample: () => timeTick(off) },
  })
  .measure({
    case: 'GET /metrics latency while the engine idles',
    unit: 'ms',
    better: 'lower',
    samples: 30,
    limit: 10,
    ours: {
      name: 'exporter',
      sample: async () => {
        const start = performance.now();
        await (await fetch(`${url}metrics`)).text();
        return performance.now() - start;
      },
    },
  })
  .run();
watcher.kill();
await Promise.all([on.close(), off.close()]);
