#!/usr/bin/env node
// `corepack pnpm bench [package] [--long]`: builds what the benchmarks import, then runs the
// benchmarks of one package or of all, strictly one after another.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const only = args.filter((a) => !a.startsWith('--'));
const packagesDir = join(root, 'packages');
const all = readdirSync(packagesDir).filter((p) => existsSync(join(packagesDir, p, 'package.json')));
const unknown = only.filter((p) => !all.includes(p));
if (unknown.length > 0) {
  console.error(`unknown package(s): ${unknown.join(', ')}; known: ${all.join(', ')}`);
  process.exit(2);
}
const chosen = only.length > 0 ? only : all;

const nx = join(root, 'node_modules', '.bin', 'nx');
const build = spawnSync(nx, ['run-many', '-t', 'build', '--output-style=static', `--projects=${chosen.map((p) => `@concurrengine/${p}`).join(',')}`], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

let failed = 0;
const runner = join(root, 'tools', 'bench', 'bin', 'runPackageBenches.mjs');
for (const pkg of chosen) {
  console.log(`\n## ${pkg}`);
  const run = spawnSync(process.execPath, [runner, ...flags], { cwd: join(packagesDir, pkg), stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
