/** `main` in-process, for the paths a child process cannot reach cheaply (internal errors). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { loadConfig } from '@concurrengine/config';
import { EXIT_INTERNAL, main, type CliIo, type Command } from '../src/index.js';

function capture(env: Record<string, string> = {}): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env, cwd: process.cwd() }, out: () => out, err: () => err };
}

const boom: Command = {
  name: 'boom',
  usage: '',
  summary: 'throws',
  help: 'throws',
  run: () => Promise.reject(new Error('kaboom')),
};

describe('main', () => {
  it('turns an unexpected error into exit 1 with a one-line message', async () => {
    const { io, err } = capture();
    expect(await main(['boom'], { io, commands: [boom] })).toBe(EXIT_INTERNAL);
    expect(err()).toContain('concurrengine: internal error: kaboom');
    expect(err()).not.toMatch(/\n\s+at /);
  });

  it('adds the stack with CONCURRENGINE_DEBUG=1', async () => {
    const { io, err } = capture({ CONCURRENGINE_DEBUG: '1' });
    expect(await main(['boom'], { io, commands: [boom] })).toBe(EXIT_INTERNAL);
    expect(err()).toMatch(/\n\s+at /);
  });

  it('prints a command\'s own help', async () => {
    const { io, out } = capture();
    expect(await main(['check', '--help'], { io })).toBe(0);
    expect(out()).toContain('Usage: concurrengine check <file> [--json]');
  });

  it('no arguments prints help and exits 2', async () => {
    const { io, out } = capture();
    expect(await main([], { io })).toBe(2);
    expect(out()).toContain('Commands:');
  });

  it('resolves relative files against the given cwd', async () => {
    const { io, out } = capture();
    const examples = new URL('../../../examples/', import.meta.url).pathname;
    expect(await main(['check', 'concurrengine.toml'], { io: { ...io, cwd: examples } })).toBe(0);
    expect(out()).toContain('concurrengine.toml: valid');
  });

  it('prints the resolved configuration as TOML that loads back to the same values', async () => {
    const { io, out } = capture({ CONCURRENGINE_ENGINE__SEED: '42' });
    const file = new URL('../../../examples/concurrengine.toml', import.meta.url).pathname;
    expect(await main(['check', file], { io })).toBe(0);
    const toml = out().split('\n').filter((line) => !line.includes(': valid') && !line.startsWith('warning:')).join('\n');
    const expected = loadConfig({ file, env: { CONCURRENGINE_ENGINE__SEED: '42' } }).config;
    expect(loadConfig({ text: toml }).config).toEqual(expected);
  });

  it('hides a set auth_token (from a file or the environment) and says where it came from', async () => {
    const secret = 's3cr3t-Tok3n_value';
    const envs: Record<string, string>[] = [{ CONCURRENGINE_TELEMETRY__AUTH_TOKEN: secret }, {}];
    for (const env of envs) {
      const { io, out, err } = capture(env);
      const dir = mkdtempSync(join(tmpdir(), 'ce-check-'));
      const file = join(dir, 'c.toml');
      writeFileSync(file, Object.keys(env).length > 0 ? '[engine]\nseed = 3\n' : `[telemetry]\nauth_token = "${secret}"\n`);
      expect(await main(['check', file], { io })).toBe(0);
      expect(out() + err()).not.toContain(secret);
      expect(out()).toMatch(/^auth_token = "<hidden>" +# (env CONCURRENGINE_TELEMETRY__AUTH_TOKEN|file .*c\.toml:2)$/m);
    }
    const json = capture({ CONCURRENGINE_TELEMETRY__AUTH_TOKEN: secret });
    expect(await main(['check', new URL('../../../examples/concurrengine.toml', import.meta.url).pathname, '--json'], { io: json.io })).toBe(0);
    expect(json.out()).not.toContain(secret);
    expect(JSON.parse(json.out()).config.telemetry.authToken).toBe('<hidden>');
    const { io, out } = capture();
    expect(await main(['check', new URL('../../../examples/concurrengine.toml', import.meta.url).pathname], { io })).toBe(0);
    expect(out()).toMatch(/^auth_token = "" +# default/m); // none set: nothing to hide
  });
});
