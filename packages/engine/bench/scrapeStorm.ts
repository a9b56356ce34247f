/**
 * Load test for issue 15 item 9 (not a `.bench.ts`: no bench or test run picks it up). The
 * brief's GameEntity world (200k actors by default) runs at 60 Hz with its exporter on, first
 * with nobody scraping, then while another process keeps 200 scrapes of `/metrics` in flight
 * (each loop sends its next request as soon as the last one answered). Prints the achieved tick
 * rate of both windows, what the storm got back, and how often the engine's thread rendered.
 *
 *   cd packages/engine && node --import tsx bench/scrapeStorm.ts
 *   ACTORS=200000 THREADS=2 SECONDS=10 SCRAPERS=200 node --import tsx bench/scrapeStorm.ts
 *
 * Both windows run in one process on one machine, the storm's client included (it takes CPU
 * from the engine as real scrapers on the same host would): figures on a shared machine are noisy.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

import { createPrng } from '@concurrengine/bench-harness';
import { createEngine } from '@concurrengine/engine';
import { METRIC } from '@concurrengine/telemetry';
import { parseExposition } from '@concurrengine/telemetry/testing';

import { GameEntity } from './briefKinds.js';

const N = Number(process.env.ACTORS ?? 200_000);
const THREADS = Number(process.env.THREADS ?? 2);
const SECONDS = Number(process.env.SECONDS ?? 10);
const SCRAPERS = Number(process.env.SCRAPERS ?? 200);
const KINDS = new URL('./briefKinds.ts', import.meta.url).href;

// The storm, in its own process: SCRAPERS loops of keep-alive GETs, stopping by itself after
// the window (and after at most 2M requests), then printing its status counts as JSON.
const STORM = `
const http = require('node:http');
const [url, loops, ms] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const agent = new http.Agent({ keepAlive: true, maxSockets: loops });
const until = Date.now() + ms;
const counts = {}; let sent = 0;
const once = () => new Promise((resolve) => {
  const req = http.get(url, { agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); res.on('error', () => resolve('error')); });
  req.on('error', (e) => resolve(e.code || 'error'));
});
const loop = async () => { while (Date.now() < until && sent < 2e6) { sent++; const s = await once(); counts[s] = (counts[s] || 0) + 1; } };
Promise.all(Array.from({ length: loops }, loop)).then(() => { process.stdout.write(JSON.stringify(counts)); agent.destroy(); });
`;

const prng = createPrng(7);
const engine = createEngine({ threads: THREADS, actorModules: [KINDS], telemetry: { endpoint: { host: '127.0.0.1', port: 0 } } });
engine.spawn(GameEntity, N, (e) => e.velocity.set(prng.range(-1, 1), prng.range(-1, 1), prng.range(-1, 1)));
await engine.step(30); // warm-up; starts the exporter
const url = `${engine.telemetryUrl()!}metrics`;
const renders = async (): Promise<number> => parseExposition(await (await fetch(url)).text()).value(METRIC.exporterRenders.name) ?? 0;

const quiet = await engine.run({ durationMs: SECONDS * 1000 });
const rendersBefore = await renders();
const storm = spawn(process.execPath, ['-e', STORM, url, String(SCRAPERS), String(SECONDS * 1000 + 2000)], { stdio: ['ignore', 'pipe', 'inherit'] });
let answers = '';
storm.stdout.on('data', (chunk: Buffer) => (answers += chunk.toString('utf8')));
await new Promise((r) => setTimeout(r, 1000)); // let all loops get going
const stormy = await engine.run({ durationMs: SECONDS * 1000 });
await once(storm, 'exit');
const rendersDuring = (await renders()) - rendersBefore;
await engine.close();

const line = (name: string, s: { ticks: number; elapsedMs: number; hz: number; overruns: number }) =>
  `${name.padEnd(24)} ${s.hz.toFixed(1).padStart(6)} Hz   ${String(s.ticks).padStart(5)} ticks in ${(s.elapsedMs / 1000).toFixed(1)} s   ${s.overruns} overruns`;
console.log(`scrape storm: ${N.toLocaleString('en')} GameEntity, ${THREADS} threads, target 60 Hz, ${SCRAPERS} scrapes in flight; Node ${process.version}`);
console.log(line('no scrapes', quiet));
console.log(line(`${SCRAPERS} parallel scrapes`, stormy));
console.log(`ratio ${(stormy.hz / quiet.hz).toFixed(3)}   storm answers ${answers}   renders on the engine thread during the storm: ${rendersDuring}`);
