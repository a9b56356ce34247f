#!/usr/bin/env node
// `node tools/newPackage.mjs <name> "<one-line description>"`: creates packages/<name> with the
// layout every package shares (src/, test/, bench/, README, exports map, tsconfigs, vitest config).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description = ''] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: node tools/newPackage.mjs <name> "<description>"  (name: lowercase, digits, dashes)');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'packages', name);
if (existsSync(dir)) {
  console.error(`packages/${name} exists already`);
  process.exit(2);
}
for (const sub of ['src', 'test', 'bench']) mkdirSync(join(dir, sub), { recursive: true });

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
const files = {
  'package.json': json({
    name: `@concurrengine/${name}`,
    version: '0.1.0',
    description,
    license: 'MIT',
    type: 'module',
    exports: {
      '.': { '@concurrengine/source': './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js' },
      './package.json': './package.json',
    },
    files: ['dist', 'README.md'],
    engines: { node: '>=20.19' },
    devDependencies: { '@concurrengine/bench-harness': 'workspace:*' },
    nx: { targets: { build: {}, test: {}, typecheck: {}, bench: {} } },
  }),
  'tsconfig.json': json({
    extends: '../../tsconfig.base.json',
    compilerOptions: { noEmit: true, customConditions: ['@concurrengine/source'] },
    include: ['src', 'test', 'bench'],
  }),
  'tsconfig.build.json': json({
    extends: '../../tsconfig.base.json',
    compilerOptions: { rootDir: 'src', outDir: 'dist' },
    include: ['src'],
  }),
  'vitest.config.ts': "import { packageConfig } from '../../vitest.shared.js';\n\nexport default packageConfig();\n",
  'src/index.ts': '// Explicit named exports only (STYLE.md §1).\nexport {};\n',
  'README.md': `# @concurrengine/${name}\n\n${description}\n\n## Example\n\n## Interface\n\n## Guarantees\n\n## Errors\n\n## Performance\n`,
};
for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
console.log(`created packages/${name}; now run: corepack pnpm install`);
