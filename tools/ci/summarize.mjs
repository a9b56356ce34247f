#!/usr/bin/env node
// Reads the vitest JSON report of every workspace project and prints one line:
// `N passed, N failed[, N skipped]`. A project with tests that left no report (its build or its
// test process crashed) counts as one failure, so a broken package can never look green.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

for (const group of ['packages', 'tools']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const project = join(dir, name);
    if (!existsSync(join(project, 'vitest.config.ts'))) continue;
    const report = join(project, '.test-results', 'vitest.json');
    if (!existsSync(report)) {
      missing.push(`${group}/${name}`);
      failed++;
      continue;
    }
    const result = JSON.parse(readFileSync(report, 'utf8'));
    passed += result.numPassedTests ?? 0;
    failed += result.numFailedTests ?? 0;
    skipped += (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
    // A suite that failed outside its tests (a syntax error, a missing import, a failed beforeAll:
    // its tests then show as skipped) has no failed *test*; count the file as one failure.
    failed += (result.testResults ?? []).filter((file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed')).length;
  }
}
for (const project of missing) console.log(`no test report from ${project} (its build or test run did not finish)`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
