#!/usr/bin/env node
// The main job (`corepack pnpm start`): build what the CLI needs, then run the product brief's
// example — a million GameEntity actors at 60 Hz — with the brief's configuration, for 20 s by
// default (Ctrl-C stops it sooner). Extra arguments go to `concurrengine run`, e.g.
// `corepack pnpm start --duration 2m --threads 4`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const nx = join(root, 'node_modules', '.bin', 'nx');
const build = spawnSync(nx, ['run', '@concurrengine/cli:build', '--output-style=static'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const extra = process.argv.slice(2);
const args = [
  'run',
  join(root, 'examples', 'gameEntity.ts'),
  '--config',
  join(root, 'examples', 'concurrengine.toml'),
  ...(extra.includes('--duration') || extra.includes('--ticks') ? [] : ['--duration', '20s']),
  ...extra,
];
const cli = spawnSync(process.execPath, [join(root, 'packages', 'cli', 'bin', 'concurrengine.mjs'), ...args], { stdio: 'inherit' });
process.exit(cli.status ?? 1);
