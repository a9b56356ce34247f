import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.js';

const load = (env: Record<string, string | undefined>, text?: string) =>
  loadConfig({ env, availableParallelism: 16, ...(text === undefined ? {} : { text, file: 'c.toml' }) });

function issuesOf(env: Record<string, string | undefined>, text?: string): ConfigError['issues'] {
  try {
    load(env, text);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('environment overrides', () => {
  it('CONCURRENGINE_ENGINE__THREADS=8 sets engine.threads and is recorded as from env', () => {
    const { config, origins } = load({ CONCURRENGINE_ENGINE__THREADS: '8' });
    expect(config.engine.threads).toBe(8);
    expect(origins['engine.threads']).toEqual({ kind: 'env', name: 'CONCURRENGINE_ENGINE__THREADS' });
  });

  it('wins over the file', () => {
    const { config, origins } = load({ CONCURRENGINE_NETWORK__PROTOCOL: 'websocket' }, '[network]\nprotocol = "quic"\nmax_connections = 7\n');
    expect(config.network.protocol).toBe('websocket');
    expect(config.network.maxConnections).toBe(7);
    expect(origins['network.max_connections']).toEqual({ kind: 'file', file: 'c.toml', line: 3, column: 1 });
  });

  it('parses units and underscores exactly as the file does', () => {
    const { config } = load({
      CONCURRENGINE_ENGINE__TICK_RATE: '30 Hz',
      CONCURRENGINE_NETWORK__MAX_CONNECTIONS: '50_000',
      CONCURRENGINE_SUPERVISION__BACKOFF_MIN: '250ms',
      CONCURRENGINE_SUPERVISION__BACKOFF_MAX: '2s',
      CONCURRENGINE_TELEMETRY__ENDPOINT: '[::1]:9100',
      CONCURRENGINE_TELEMETRY__SAMPLE_RATE: '0.5',
      CONCURRENGINE_TELEMETRY__DASHBOARD: 'false',
      CONCURRENGINE_ENGINE__THREADS: 'auto',
    });
    expect(config.engine.tickRateHz).toBe(30);
    expect(config.network.maxConnections).toBe(50_000);
    expect(config.supervision.backoffMinMs).toBe(250);
    expect(config.supervision.backoffMaxMs).toBe(2000);
    expect(config.telemetry.endpoint).toEqual({ host: '::1', port: 9100 });
    expect(config.telemetry.sampleRate).toBe(0.5);
    expect(config.telemetry.dashboard).toBe(false);
    expect(config.engine.threads).toBe(16);
  });

  it('matches names case-insensitively and ignores empty values and unrelated variables', () => {
    const { config, origins } = load({ concurrengine_engine__seed: '7', CONCURRENGINE_ENGINE__THREADS: '', CONCURRENGINE_HOME: '/x', PATH: '/bin' });
    expect(config.engine.seed).toBe(7);
    expect(origins['engine.threads']).toEqual({ kind: 'default' });
  });

  it.each([
    ['CONCURRENGINE_ENGINE__THREADS', 'abc', 'CONFIG_ENV', 'engine.threads'],
    ['CONCURRENGINE_ENGINE__THREADS', '8.5', 'CONFIG_ENV', 'engine.threads'],
    ['CONCURRENGINE_ENGINE__OVERSUBSCRIBE', 'maybe', 'CONFIG_ENV', 'engine.oversubscribe'],
    ['CONCURRENGINE_ENGINE__TICK_RATE', 'fast', 'CONFIG_ENV', 'engine.tick_rate'],
    ['CONCURRENGINE_SUPERVISION__BACKOFF_MIN', '250', 'CONFIG_ENV', 'supervision.backoff_min'],
    ['CONCURRENGINE_TELEMETRY__ENDPOINT', 'localhost', 'CONFIG_ENV', 'telemetry.endpoint'],
    ['CONCURRENGINE_TELEMETRY__SAMPLE_RATE', '2', 'CONFIG_RANGE', 'telemetry.sample_rate'],
    ['CONCURRENGINE_ENGINE__THREADS', '0', 'CONFIG_RANGE', 'engine.threads'],
    ['CONCURRENGINE_NETWORK__PROTOCOL', 'tcpx', 'CONFIG_ENUM', 'network.protocol'],
    ['CONCURRENGINE_ENGIN__THREADS', '2', 'CONFIG_UNKNOWN_SECTION', 'engin.threads'],
    ['CONCURRENGINE_ENGINE__THREDS', '2', 'CONFIG_UNKNOWN_KEY', 'engine.threds'],
  ] as const)('%s=%s → %s', (name, value, code, keyPath) => {
    const issues = issuesOf({ [name]: value });
    expect(issues).toEqual([expect.objectContaining({ code, keyPath, envVar: name, value })]);
    expect(issues[0]?.line).toBeUndefined();
  });

  it('suggests the full variable name for a misspelt one', () => {
    expect(issuesOf({ CONCURRENGINE_ENGINE__THREDS: '2' })[0]?.suggestion).toBe('CONCURRENGINE_ENGINE__THREADS');
    expect(issuesOf({ CONCURRENGINE_ENGIN__THREADS: '2' })[0]?.suggestion).toBe('CONCURRENGINE_ENGINE__THREADS');
  });

  it('reports file and environment problems together, file first', () => {
    const issues = issuesOf({ CONCURRENGINE_ENGINE__THREADS: 'many' }, '[network]\nprotocol = "tcpx"\n');
    expect(issues.map((i) => i.code)).toEqual(['CONFIG_ENUM', 'CONFIG_ENV']);
  });

  it('checks rules across keys on the merged values', () => {
    const issues = issuesOf({ CONCURRENGINE_SUPERVISION__BACKOFF_MIN: '10s' }, '[supervision]\nbackoff_max = "5s"\n');
    expect(issues).toEqual([expect.objectContaining({ code: 'CONFIG_RANGE', keyPath: 'supervision.backoff_min', envVar: 'CONCURRENGINE_SUPERVISION__BACKOFF_MIN' })]);
  });
});
