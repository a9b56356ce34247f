#!/usr/bin/env node
// The main job (`corepack pnpm start`): build what the CLI needs, then run it. Until the engine
// lands this validates the brief's configuration and prints it resolved, with each value's source.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const nx = join(root, 'node_modules', '.bin', 'nx');
const build = spawnSync(nx, ['run', '@concurrengine/cli:build', '--output-style=static'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const args = process.argv.slice(2);
const cliArgs = args.length > 0 ? args : ['check', join(root, 'examples', 'concurrengine.toml')];
const cli = spawnSync(process.execPath, [join(root, 'packages', 'cli', 'bin', 'concurrengine.mjs'), ...cliArgs], { stdio: 'inherit' });
process.exit(cli.status ?? 1);
