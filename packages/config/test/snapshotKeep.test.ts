/** `[engine] snapshot_keep` (issue 15 item 7): how many stored ticks a run keeps, 0 = all; bad values are typed errors with file, line and key. */
import { describe, expect, it } from 'vitest';

import { ConfigError, configKeys, formatIssue, loadConfig } from '../src/index.js';

const load = (text: string, env: Record<string, string> = {}) => loadConfig({ text, file: 'keep.toml', env, availableParallelism: 4 });

function issuesOf(text: string, env: Record<string, string> = {}): ConfigError['issues'] {
  try {
    load(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('engine.snapshot_keep', () => {
  it('defaults to 16, is documented, and reads 0 (keep all) or a count from the file and the environment', () => {
    expect(load('').config.engine.snapshotKeep).toBe(16);
    expect(configKeys.find((k) => k.keyPath === 'engine.snapshot_keep')).toMatchObject({ default: 16, envVar: 'CONCURRENGINE_ENGINE__SNAPSHOT_KEEP' });
    const { config, origins } = load('[engine]\nsnapshot_interval = 5\nsnapshot_keep = 0\n');
    expect(config.engine.snapshotKeep).toBe(0);
    expect(origins['engine.snapshot_keep']).toEqual({ kind: 'file', file: 'keep.toml', line: 3, column: 1 });
    expect(load('', { CONCURRENGINE_ENGINE__SNAPSHOT_KEEP: '4' }).config.engine.snapshotKeep).toBe(4);
  });

  it.each([
    ['-1', 'CONFIG_RANGE'],
    ['2.5', 'CONFIG_TYPE'],
    ['"all"', 'CONFIG_TYPE'],
    ['1_000_001', 'CONFIG_RANGE'],
  ])('refuses snapshot_keep = %s with %s naming the file, line and key', (value, code) => {
    const [issue, ...rest] = issuesOf(`[engine]\nseed = 3\nsnapshot_keep = ${value}\n`);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ code, keyPath: 'engine.snapshot_keep', file: 'keep.toml', line: 3, expected: 'an integer from 0 to 1000000' });
    expect(formatIssue(issue!)).toMatch(/^keep\.toml:3:\d+ engine\.snapshot_keep: /);
  });

  it('refuses an unreadable CONCURRENGINE_ENGINE__SNAPSHOT_KEEP naming the variable', () => {
    const [issue] = issuesOf('', { CONCURRENGINE_ENGINE__SNAPSHOT_KEEP: 'lots' });
    expect(issue).toMatchObject({ code: 'CONFIG_ENV', keyPath: 'engine.snapshot_keep', envVar: 'CONCURRENGINE_ENGINE__SNAPSHOT_KEEP' });
  });
});
