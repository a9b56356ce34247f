/** The package's version, read from its package.json (one level above `src/` and `dist/`). */
import { readFileSync } from 'node:fs';

/** @throws if package.json is missing or has no version (a broken install). */
export function readVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
  if (typeof version !== 'string') throw new Error('package.json of @concurrengine/cli has no version');
  return version;
}
