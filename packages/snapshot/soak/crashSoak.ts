/**
 * Crash soak: `pnpm --filter @concurrengine/snapshot soak [trials=120] [seed]`. Kills a writing child
 * process with SIGKILL at random moments (alternating worker and caller-thread stores, one store
 * directory across all trials) and checks the store after each. Exits 1 on the first bad trial.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createPrng } from '@concurrengine/bench-harness';

import { crashTrial } from './crashTrial.js';

const trials = Number(process.argv[2] ?? 120);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
const prng = createPrng(seed);
const dir = mkdtempSync(join(tmpdir(), 'snapshot-soak-'));
console.log(`crash soak: ${trials} trials, seed ${seed}, store ${dir}`);
let maxTick = 0;
for (let i = 1; i <= trials; i++) {
  const mode = i % 2 === 0 ? 'worker' : 'thread';
  const result = await crashTrial(dir, mode, prng.next(), 250);
  maxTick = Math.max(maxTick, result.listed[result.listed.length - 1] ?? 0);
  const line = `trial ${i} ${mode}: killed after ${result.killedAfterMs.toFixed(0)} ms, ${result.listed.length} ticks listed (latest ${result.listed[result.listed.length - 1] ?? '-'})`;
  if (result.problems.length > 0) {
    console.error(`${line}\n  ${result.problems.join('\n  ')}\nstore kept at ${dir}`);
    process.exit(1);
  }
  if (i % 10 === 0 || i === trials) console.log(`${line}; ${readdirSync(dir).length} files`);
}
console.log(`ok: ${trials} trials, every listed tick read back with its content, verify clean; ${maxTick} ticks written in all`);
rmSync(dir, { recursive: true, force: true });
