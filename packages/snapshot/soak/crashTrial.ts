/**
 * One crash trial: start a real child process that writes snapshots (test/fixtures/crashChild.ts),
 * SIGKILL it at a random moment, reopen the store and check that every listed tick reads back with
 * the content the child derived from its tick number, and that verify finds nothing.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { openFileSnapshotStore } from '../src/index.js';
import { digest, expectedDigest } from '../test/fixtures/content.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const child = fileURLToPath(new URL('../test/fixtures/crashChild.ts', import.meta.url));

export interface TrialResult {
  readonly killedAfterMs: number;
  readonly listed: readonly number[];
  /** Problems found; empty when the trial passed. */
  readonly problems: readonly string[];
}

/** Runs one trial in `dir` (which may hold the store of earlier trials); `random` ∈ [0, 1). */
export async function crashTrial(dir: string, mode: 'worker' | 'thread', random: number, maxDelayMs = 150): Promise<TrialResult> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, mode], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    proc.once('exit', (code, signal) => reject(new Error(`crash child exited before ready (${code ?? signal}): ${stderr}`)));
  });
  const killedAfterMs = random * maxDelayMs;
  await new Promise((resolve) => setTimeout(resolve, killedAfterMs));
  if (proc.exitCode !== null) throw new Error(`crash child died on its own (${proc.exitCode}): ${stderr}`);
  proc.kill('SIGKILL');
  await exited;

  const problems: string[] = [];
  const store = await openFileSnapshotStore(dir, { worker: false });
  try {
    const listed = await store.listTicks();
    for (const tick of listed) {
      try {
        const snap = await store.readTick(tick);
        if (digest(snap.meta, snap.pages) !== expectedDigest(tick)) problems.push(`tick ${tick}: content differs from what the child wrote`);
      } catch (error) {
        problems.push(`tick ${tick}: ${String(error)}`);
      }
    }
    const report = await store.verify();
    for (const p of report.problems) problems.push(`verify: ${p.code} ${p.file}@${p.offset}: ${p.message}`);
    return { killedAfterMs, listed, problems };
  } finally {
    await store.close();
  }
}
