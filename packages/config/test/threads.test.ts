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
});
