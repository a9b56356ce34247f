#!/usr/bin/env node
// Makes sure Debian's `chromium` is at /usr/bin/chromium for the dashboard's browser test.
// Does nothing when it is there already; otherwise runs apt-get (as root on CI, via sudo when
// available elsewhere). Never downloads a browser through playwright (TOOLCHAIN.md).
// Usage: `node scripts/ensureChromium.mjs`, or `import { ensureChromium } from …` (returns the path).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Where the test expects the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

function run(argv) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const [cmd, ...args] = isRoot ? argv : ['sudo', '-n', ...argv];
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: APT_ENV });
  if (result.error) throw new Error(`could not run ${[cmd, ...args].join(' ')}: ${result.error.message}`, { cause: result.error });
  if (result.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} exited with ${result.status ?? result.signal}`);
}

/** Installs chromium with apt-get unless it is already at {@link CHROMIUM_PATH}; returns that path. */
export function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(ensureChromium());
}
