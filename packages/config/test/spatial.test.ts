/** `[spatial]`: the world box as arrays of 3 numbers or "auto", the octree's thresholds and the grid's cell, from the file and the environment. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, stringifyConfig } from '../src/index.js';

const load = (text: string, env: Record<string, string> = {}) => loadConfig({ text, file: 's.toml', env, availableParallelism: 4 });

function issuesOf(text: string, env: Record<string, string> = {}): ConfigError['issues'] {
  try {
    load(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('[spatial]', () => {
  it('defaults to an automatic world box, the engine\'s thresholds and the program\'s cell size', () => {
    expect(load('').config.spatial).toEqual({ worldMin: 'auto', worldMax: 'auto', splitAbove: 512, mergeBelow: 'auto', reorderEvery: 8, cellSize: 'auto' });
  });

  it('reads corners, thresholds and the cell from the file, each with its line', () => {
    const { config, origins } = load('[engine]\npartition_strategy = "adaptive-octree"\n[spatial]\nworld_min = [-100, -50.5, 0]\nworld_max = [100, 50.5, 1e3]\nsplit_above = 64\nmerge_below = 8\nreorder_every = 3\ncell_size = 2.5\n');
    expect(config.spatial).toEqual({ worldMin: [-100, -50.5, 0], worldMax: [100, 50.5, 1000], splitAbove: 64, mergeBelow: 8, reorderEvery: 3, cellSize: 2.5 });
    expect(origins['spatial.world_min']).toEqual({ kind: 'file', file: 's.toml', line: 4, column: 1 });
    expect(Object.isFrozen(config.spatial.worldMin)).toBe(true);
  });

  it('writes arrays back as TOML that loads to the same values', () => {
    const { config } = load('[spatial]\nworld_min = [-1, -2, -3]\nworld_max = [1, 2, 3.25]\nmerge_below = 0\n');
    const text = stringifyConfig(config);
    expect(text).toContain('world_min = [ -1, -2, -3 ]');
    expect(load(text).config).toEqual(config);
  });

  it.each([
    ['-100,-100,-100', [-100, -100, -100]],
    ['[-100, -100, -100]', [-100, -100, -100]],
    [' 0, 1_000 ,2.5 ', [0, 1000, 2.5]],
  ])('takes CONCURRENGINE_SPATIAL__WORLD_MIN=%j', (text, value) => {
    const { config, origins } = load('', { CONCURRENGINE_SPATIAL__WORLD_MIN: text, CONCURRENGINE_SPATIAL__WORLD_MAX: '5000,5000,5000' });
    expect(config.spatial.worldMin).toEqual(value);
    expect(origins['spatial.world_min']).toEqual({ kind: 'env', name: 'CONCURRENGINE_SPATIAL__WORLD_MIN' });
  });

  it('takes "auto" and numbers from the environment over the file', () => {
    const { config } = load('[spatial]\nworld_min = [0, 0, 0]\nworld_max = [1, 1, 1]\nmerge_below = 4\n', {
      CONCURRENGINE_SPATIAL__WORLD_MIN: 'auto',
      CONCURRENGINE_SPATIAL__WORLD_MAX: 'auto',
      CONCURRENGINE_SPATIAL__MERGE_BELOW: 'auto',
      CONCURRENGINE_SPATIAL__SPLIT_ABOVE: '2_048',
      CONCURRENGINE_SPATIAL__CELL_SIZE: '0.5',
    });
    expect(config.spatial).toMatchObject({ worldMin: 'auto', worldMax: 'auto', mergeBelow: 'auto', splitAbove: 2048, cellSize: 0.5 });
  });

  it.each([
    ['CONCURRENGINE_SPATIAL__WORLD_MIN', '1,2', 'CONFIG_ENV'],
    ['CONCURRENGINE_SPATIAL__WORLD_MIN', 'x,1,2', 'CONFIG_ENV'],
    ['CONCURRENGINE_SPATIAL__WORLD_MIN', '[1, 2, 3, 4]', 'CONFIG_ENV'],
    ['CONCURRENGINE_SPATIAL__MERGE_BELOW', 'some', 'CONFIG_ENV'],
    ['CONCURRENGINE_SPATIAL__SPLIT_ABOVE', '1', 'CONFIG_RANGE'],
  ] as const)('refuses %s=%s with %s naming the variable', (name, value, code) => {
    const keyPath = `spatial.${name.slice('CONCURRENGINE_SPATIAL__'.length).toLowerCase()}`;
    expect(issuesOf('', { [name]: value, ...(keyPath === 'spatial.world_min' ? { CONCURRENGINE_SPATIAL__WORLD_MAX: '9,9,9' } : {}) })).toContainEqual(expect.objectContaining({ code, keyPath, envVar: name }));
  });

  it('checks the box and the thresholds across the file and the environment', () => {
    expect(issuesOf('[spatial]\nworld_min = [0, 0, 0]\n', { CONCURRENGINE_SPATIAL__WORLD_MAX: '[10, 10, 0]' })).toEqual([
      expect.objectContaining({ code: 'CONFIG_RANGE', keyPath: 'spatial.world_min', line: 2, column: 1, message: expect.stringContaining('on the z axis') }),
    ]);
    expect(issuesOf('[spatial]\nmerge_below = 10\n', { CONCURRENGINE_SPATIAL__SPLIT_ABOVE: '10' })).toEqual([
      expect.objectContaining({ code: 'CONFIG_RANGE', keyPath: 'spatial.merge_below', line: 2, column: 1, message: 'spatial.merge_below (10) is not below spatial.split_above (10)' }),
    ]);
  });

  it('shows the bad array in the message', () => {
    expect(issuesOf('[spatial]\nworld_min = [1, 2]\nworld_max = [3, 4, 5]\n')[0]?.message).toBe('got [1, 2], expected an array of 3 finite numbers [x, y, z], or "auto"');
  });
});
