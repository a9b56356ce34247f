/**
 * Debian's chromium for the project's browser tests (TOOLCHAIN.md): `ensureChromium()` installs
 * it with apt-get when /usr/bin/chromium is missing (as root on CI, through `sudo -n` elsewhere),
 * and `launchChromium()` starts it headless with the flags this machine needs. Never
 * `npx playwright install`: that downloads a browser, which fails here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Without the background-networking flags chromium keeps dialing out and this closed network refuses it. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function run(argv: readonly string[]): void {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const [cmd, ...args] = isRoot ? argv : ['sudo', '-n', ...argv];
  const result = spawnSync(cmd!, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.error) throw new Error(`could not run ${[cmd, ...args].join(' ')}: ${result.error.message}`, { cause: result.error });
  if (result.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} exited with ${result.status ?? result.signal}`);
}

/** Installs chromium with apt-get unless it is at {@link CHROMIUM_PATH}; returns the path. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}

/** Ensures chromium is installed, then launches it headless. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: [...CHROMIUM_FLAGS] });
}
