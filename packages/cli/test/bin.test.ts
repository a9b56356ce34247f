/**
 * Runs the real, built `concurrengine` bin as a child process (nx builds it before `test`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
const brief = fileURLToPath(new URL('../../../examples/concurrengine.toml', import.meta.url));
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The parent's environment without any CONCURRENGINE_ variable, plus `env`. */
function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CONCURRENGINE_')));
  const result = spawnSync(process.execPath, [bin, ...args], { env: { ...clean, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempToml(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'concurrengine-cli-')), 'bad.toml');
  writeFileSync(file, text);
  return file;
}

describe('concurrengine check', () => {
  it("accepts the brief's TOML and shows where every value came from", () => {
    const { status, stdout, stderr } = run(['check', brief]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain(`${brief}: valid`);
    expect(stdout).toMatch(new RegExp(`tick_rate = "60hz" +# file ${brief.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4`));
    expect(stdout).toMatch(/max_connections = 50000 +# file .*:8/);
    expect(stdout).toMatch(/seed = 0 +# default/);
    expect(stdout).toContain('[supervision]');
    expect(stdout).toContain('warning: telemetry.endpoint binds every network interface');
  });

  it('shows an environment override as coming from its variable', () => {
    const { status, stdout } = run(['check', brief], { CONCURRENGINE_ENGINE__TICK_RATE: '30 Hz' });
    expect(status).toBe(0);
    expect(stdout).toMatch(/tick_rate = "30hz" +# env CONCURRENGINE_ENGINE__TICK_RATE/);
  });

  it('lists every problem of a broken file with its location, exit 2, no stack trace', () => {
    const file = tempToml('[engine]\nthreads = 0\n[network]\nprotocol = "tcpx"\n[telemtry]\nx = 1\n');
    const { status, stdout, stderr } = run(['check', file]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('invalid configuration (3 problems)');
    expect(stderr).toContain(`${file}:2:11 engine.threads: got 0, expected an integer from 1 to 4096`);
    expect(stderr).toContain(`${file}:4:12 network.protocol: got "tcpx"`);
    expect(stderr).toContain('did you mean "tcp"?');
    expect(stderr).toContain(`${file}:5:1 telemtry: unknown section [telemtry]; did you mean "telemetry"?`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reports malformed TOML with its position', () => {
    const file = tempToml('[engine]\nthreads = \n');
    const { status, stderr } = run(['check', file]);
    expect(status).toBe(2);
    expect(stderr).toContain(`${file}:2:11: malformed TOML`);
    expect(stderr).toContain('CONFIG_SYNTAX');
  });

  it('rejects an unparsable environment override, exit 2', () => {
    const { status, stderr } = run(['check', brief], { CONCURRENGINE_ENGINE__THREADS: 'many' });
    expect(status).toBe(2);
    expect(stderr).toContain('env CONCURRENGINE_ENGINE__THREADS engine.threads: cannot read "many"');
  });

  it('reports a missing file, exit 2', () => {
    const { status, stderr } = run(['check', '/nonexistent/concurrengine.toml']);
    expect(status).toBe(2);
    expect(stderr).toContain('configuration file not found: /nonexistent/concurrengine.toml [CONFIG_FILE_NOT_FOUND]');
  });

  it('prints JSON with --json', () => {
    const { status, stdout } = run(['check', brief, '--json']);
    expect(status).toBe(0);
    const result = JSON.parse(stdout) as { valid: boolean; config: { network: { maxConnections: number } }; origins: Record<string, unknown> };
    expect(result.valid).toBe(true);
    expect(result.config.network.maxConnections).toBe(50_000);
    expect(result.origins['engine.seed']).toEqual({ kind: 'default' });
  });

  it('needs a file argument, exit 2', () => {
    const { status, stderr } = run(['check']);
    expect(status).toBe(2);
    expect(stderr).toContain('missing <file>');
  });
});

describe('concurrengine', () => {
  it('--help lists the commands, exit 0', () => {
    const { status, stdout } = run(['--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('Usage: concurrengine <command>');
    expect(stdout).toContain('check <file>');
  });

  it('--version prints the package version, exit 0', () => {
    const { status, stdout } = run(['--version']);
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it('an unknown command exits 2 with a hint', () => {
    const { status, stderr } = run(['launch']);
    expect(status).toBe(2);
    expect(stderr).toContain("unknown command 'launch'. Run 'concurrengine --help'");
  });
});
