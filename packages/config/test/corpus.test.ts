import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.js';
import { corpus } from './corpus.js';

function errorOf(toml: string): ConfigError {
  try {
    loadConfig({ text: toml, file: 'bad.toml', availableParallelism: 8 });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('invalid configurations', () => {
  it('has at least 40 cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it.each(corpus)('$name → $code at $line:$column', ({ toml, code, line, column, keyPath, suggestion }) => {
    const error = errorOf(toml);
    expect(error.issues).toContainEqual(
      expect.objectContaining({ code, line, column, file: 'bad.toml', ...(keyPath === undefined ? {} : { keyPath }), ...(suggestion === undefined ? {} : { suggestion }) }),
    );
    expect(error.message).toContain(`bad.toml:${line}:${column}`);
    expect(error.message).toContain(code);
  });
});

describe('ConfigError', () => {
  it('reports every problem of a file in source order, first one on top', () => {
    const error = errorOf('[engine]\nthreads = 0\ntick_rat = "60hz"\n[network]\nprotocol = "tcpx"\n[telemtry]\nx = 1\n');
    expect(error.issues.map((i) => [i.code, i.line])).toEqual([
      ['CONFIG_RANGE', 2],
      ['CONFIG_UNKNOWN_KEY', 3],
      ['CONFIG_ENUM', 5],
      ['CONFIG_UNKNOWN_SECTION', 6],
    ]);
    expect(error).toMatchObject({ code: 'CONFIG_RANGE', file: 'bad.toml', line: 2, column: 11, keyPath: 'engine.threads', value: 0 });
    expect(error.expected).toContain('an integer from 1 to 4096');
  });

  it('carries the bad value and what was expected', () => {
    const error = errorOf('[network]\nprotocol = "tcpx"\n');
    expect(error.value).toBe('tcpx');
    expect(error.expected).toBe('one of "quic", "websocket", "tcp"');
    expect(error.message).toBe(
      'configuration has a problem:\n  bad.toml:2:12 network.protocol: got "tcpx", expected one of "quic", "websocket", "tcp"; did you mean "tcp"? [CONFIG_ENUM]',
    );
  });

  it('reports a missing file by path', () => {
    expect(() => loadConfig({ file: '/nonexistent/concurrengine.toml' })).toThrowError(
      expect.objectContaining({ code: 'CONFIG_FILE_NOT_FOUND', file: '/nonexistent/concurrengine.toml' }),
    );
  });

  it('reports an unreadable file', () => {
    const readFile = (): string => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    expect(() => loadConfig({ file: 'locked.toml', readFile })).toThrowError(expect.objectContaining({ code: 'CONFIG_FILE_READ', file: 'locked.toml' }));
  });
});
