/** `concurrengine drill` as a user runs it: the built bin in a child process, on a real program. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
const program = fileURLToPath(new URL('./fixtures/tinySim.ts', import.meta.url));

function drill(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CONCURRENGINE_')));
  const result = spawnSync(process.execPath, [bin, 'drill', ...args], { env, encoding: 'utf8', timeout: 90_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('concurrengine drill', () => {
  it('injects handler throws and worker exits, and reports that supervision contained them', () => {
    const { status, stdout, stderr } = drill([program, '--ticks', '40', '--threads', '2', '--seed', '5', '--handler-throw-rate', '0.002', '--worker-exit-rate', '0.01', '--json']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ ticks: 40, threads: 2, actors: 5000, escalations: 0, engineFailed: null, stateOutsideFaultedActors: 'identical' });
    expect(report.handlerFailures).toBeGreaterThan(100);
    expect(report.restarts).toBe(report.handlerFailures);
    expect(report.workerExits).toBeGreaterThan(0);
    expect(report.jobsRedone).toBeGreaterThan(0);
  }, 120_000);

  it('prints a readable report, and refuses bad input with exit 2', () => {
    const ok = drill([program, '--ticks', '10', '--threads', '1', '--handler-throw-rate', '0.01']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/handler failures \d+ in \d+ actors: \d+ restarts/);
    expect(ok.stdout).toMatch(/no fault hit: identical to the clean run/);
    const bad = drill([program, '--handler-throw-rate', '2']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--handler-throw-rate must be a rate from 0 to 1, got '2'/);
  }, 120_000);
});
