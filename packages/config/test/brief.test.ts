import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configKeys, loadConfig } from '../src/index.js';

const briefFile = fileURLToPath(new URL('../../../examples/concurrengine.toml', import.meta.url));

describe("the product brief's TOML", () => {
  it('is accepted exactly as written, every value resolved', () => {
    const { config, warnings, origins } = loadConfig({ file: briefFile, availableParallelism: 2 });
    expect(config.engine).toMatchObject({ threads: 2, tickRateHz: 60, partitionStrategy: 'adaptive-octree' });
    expect(config.network).toMatchObject({ protocol: 'quic', maxConnections: 50_000, backpressure: 'bounded' });
    expect(config.telemetry).toMatchObject({ exporter: 'prometheus', endpoint: { host: '0.0.0.0', port: 9090 }, sampleRate: 0.01 });
    expect(config.supervision).toMatchObject({ restartPolicy: 'exponential-backoff', maxRestarts: 16, isolation: 'actor' });
    expect(warnings.map((w) => w.code)).toEqual(['CONFIG_THREADS_CAPPED', 'CONFIG_PUBLIC_BIND']);
    expect(origins['engine.threads']).toEqual({ kind: 'file', file: briefFile, line: 3, column: 1 });
    expect(origins['supervision.isolation']).toEqual({ kind: 'file', file: briefFile, line: 17, column: 1 });
    expect(origins['engine.seed']).toEqual({ kind: 'default' });
  });

  it('loads the same from text as from the file', () => {
    const text = readFileSync(briefFile, 'utf8');
    expect(loadConfig({ text, availableParallelism: 2 }).config).toEqual(loadConfig({ file: briefFile, availableParallelism: 2 }).config);
  });

  it('returns a deeply frozen result', () => {
    const loaded = loadConfig({ file: briefFile, availableParallelism: 2 });
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.isFrozen(loaded.config.telemetry.endpoint)).toBe(true);
    expect(Object.isFrozen(loaded.origins['engine.threads'])).toBe(true);
    expect(() => {
      (loaded.config.engine as { threads: number }).threads = 9;
    }).toThrow(TypeError);
  });
});

describe('defaults', () => {
  it('every documented default is itself valid, and there is one for every key', () => {
    const { config, origins } = loadConfig({ availableParallelism: 4 });
    expect(Object.values(origins).every((o) => o.kind === 'default')).toBe(true);
    expect(Object.keys(origins)).toEqual(configKeys.map((k) => k.keyPath));
    expect(config).toMatchSnapshot();
  });

  it('names an environment variable for every key', () => {
    expect(configKeys.find((k) => k.keyPath === 'engine.tick_rate')?.envVar).toBe('CONCURRENGINE_ENGINE__TICK_RATE');
    expect(new Set(configKeys.map((k) => k.envVar)).size).toBe(configKeys.length);
  });
});

describe('README', () => {
  it('documents every key and its environment variable', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const key of configKeys) {
      expect(readme).toContain(`\`${key.keyPath}\``);
      expect(readme).toContain(key.envVar);
    }
  });
});
