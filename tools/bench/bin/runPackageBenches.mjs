#!/usr/bin/env node
// Runs every bench/*.bench.ts of the package in the current directory, one process per file and
// one file at a time: two benchmarks at once on a 2-core machine would corrupt each other's figures.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const benchDir = join(process.cwd(), 'bench');
const files = existsSync(benchDir) ? readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort() : [];
if (files.length === 0) {
  console.log(`no benchmarks in ${benchDir}`);
  process.exit(0);
}
const tsx = import.meta.resolve('tsx');
let failed = 0;
for (const file of files) {
  console.log(`\n# ${file}`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', tsx, join(benchDir, file), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    failed++;
    console.error(`benchmark ${file} failed with exit ${run.status ?? run.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
