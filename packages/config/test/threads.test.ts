import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.js';

describe('engine.threads and the machine', () => {
  it('caps threads above the available parallelism, with a warning', () => {
    const { config, warnings, origins } = loadConfig({ text: '[engine]\nthreads = 1024\n', availableParallelism: 2 });
    expect(config.engine.threads).toBe(2);
    expect(warnings).toEqual([
      {
        code: 'CONFIG_THREADS_CAPPED',
        keyPath: 'engine.threads',
        message: 'engine.threads = 1024 exceeds the 2 available CPU threads; capped to 2 (set engine.oversubscribe = true to keep 1024)',
      },
    ]);
    expect(origins['engine.threads']?.kind).toBe('file');
  });

  it('keeps them with oversubscribe = true', () => {
    const { config, warnings } = loadConfig({ text: '[engine]\nthreads = 1024\noversubscribe = true\n', availableParallelism: 2 });
    expect(config.engine.threads).toBe(1024);
    expect(warnings).toEqual([]);
  });

  it('accepts up to the parallelism without a warning', () => {
    const { config, warnings } = loadConfig({ text: '[engine]\nthreads = 4\n', availableParallelism: 4 });
    expect(config.engine.threads).toBe(4);
    expect(warnings).toEqual([]);
  });

  it('"auto" and the default both mean the available parallelism', () => {
    expect(loadConfig({ availableParallelism: 6 }).config.engine.threads).toBe(6);
    expect(loadConfig({ text: '[engine]\nthreads = "auto"\n', availableParallelism: 3 }).config.engine.threads).toBe(3);
  });

  it('caps an environment override too', () => {
    const { config, warnings } = loadConfig({ env: { CONCURRENGINE_ENGINE__THREADS: '64' }, availableParallelism: 8 });
    expect(config.engine.threads).toBe(8);
    expect(warnings.map((w) => w.code)).toEqual(['CONFIG_THREADS_CAPPED']);
  });
});

describe('bind addresses', () => {
  it('defaults to loopback', () => {
    const { config, warnings } = loadConfig({ availableParallelism: 2 });
    expect(config.telemetry.endpoint).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(config.network.listen.host).toBe('127.0.0.1');
    expect(warnings).toEqual([]);
  });

  it('binds 0.0.0.0 only when configured, and says so', () => {
    const { config, warnings } = loadConfig({ text: '[telemetry]\nendpoint = "0.0.0.0:9090"\n', availableParallelism: 2 });
    expect(config.telemetry.endpoint).toEqual({ host: '0.0.0.0', port: 9090 });
    expect(warnings).toEqual([expect.objectContaining({ code: 'CONFIG_PUBLIC_BIND', keyPath: 'telemetry.endpoint' })]);
  });

  it('says whether a public exporter requires a token, and how to require one (issue 15 item 9)', () => {
    const open = loadConfig({ text: '[telemetry]\nendpoint = "0.0.0.0:9090"\n', availableParallelism: 2 }).warnings[0]?.message;
    expect(open).toContain('WITHOUT authentication');
    expect(open).toContain('telemetry.auth_token');
    expect(open).toContain('CONCURRENGINE_TELEMETRY__AUTH_TOKEN');
    const closed = loadConfig({ text: '[telemetry]\nendpoint = "0.0.0.0:9090"\n', env: { CONCURRENGINE_TELEMETRY__AUTH_TOKEN: 'abc123' }, availableParallelism: 2 });
    expect(closed.config.telemetry.authToken).toBe('abc123');
    expect(closed.warnings[0]?.message).toContain('require telemetry.auth_token');
    expect(closed.warnings[0]?.message).not.toContain('abc123');
  });

  it('takes the exporter keys: auth_token (visible ASCII or ""), max_concurrent_requests', () => {
    const { config } = loadConfig({ text: '[telemetry]\nauth_token = "t0k-en_~!"\nmax_concurrent_requests = 4\n', availableParallelism: 2 });
    expect(config.telemetry).toMatchObject({ authToken: 't0k-en_~!', maxConcurrentRequests: 4 });
    expect(loadConfig({ availableParallelism: 2 }).config.telemetry).toMatchObject({ authToken: '', maxConcurrentRequests: 32, publishIntervalMs: 1000 });
    expect(() => loadConfig({ text: '[telemetry]\nauth_token = "has space"\n', availableParallelism: 2 })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ code: 'CONFIG_RANGE', keyPath: 'telemetry.auth_token' })] }));
    expect(() => loadConfig({ text: '[telemetry]\nmax_concurrent_requests = 0\n', availableParallelism: 2 })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ keyPath: 'telemetry.max_concurrent_requests' })] }));
  });
});
