/**
 * One vitest configuration for every package, so that tests run against source (through the
 * `@concurrengine/source` export condition) and report the same way in CI.
 */
import { fileURLToPath } from 'node:url';

import { transform } from 'esbuild';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** Export condition that points a workspace package at its `src/` instead of `dist/`. */
export const SOURCE_CONDITION = '@concurrengine/source';

// Vite 8's oxc transform cannot lower stage-3 decorators (TOOLCHAIN.md); esbuild can.
const decoratorsViaEsbuild = {
  name: 'concurrengine:esbuild-decorators',
  enforce: 'pre' as const,
  async transform(code: string, id: string) {
    if (!id.endsWith('.ts') || id.includes('/node_modules/') || !code.includes('@')) return null;
    const out = await transform(code, { loader: 'ts', target: 'es2022', sourcemap: true, sourcefile: id });
    return { code: out.code, map: out.map };
  },
};

/** The shared config; `overrides` is merged shallowly into `test`. */
export function packageConfig(overrides: NonNullable<ViteUserConfig['test']> = {}): ViteUserConfig {
  return defineConfig({
    plugins: [decoratorsViaEsbuild],
    resolve: { conditions: [SOURCE_CONDITION, 'import', 'node', 'default'] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION, 'import', 'node', 'default'], externalConditions: [SOURCE_CONDITION] } },
    test: {
      include: ['test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: '.test-results/vitest.json' },
      // Timeouts catch hangs, not slowness: a suite must pass on a loaded machine (issue 15, item
      // 12), so they sit well above what a test without its own timeout took under two busy loops
      // (≤ 15 s); property tests are bounded by the fast-check budget instead.
      testTimeout: 60_000,
      hookTimeout: 60_000,
      setupFiles: [fileURLToPath(new URL('./vitest.fastCheckBudget.ts', import.meta.url))],
      ...overrides,
    },
  });
}
