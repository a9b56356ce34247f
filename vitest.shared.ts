/**
 * One vitest configuration for every package, so that tests run against source (through the
 * `@concurrengine/source` export condition) and report the same way in CI.
 */
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
      testTimeout: 20_000,
      ...overrides,
    },
  });
}
