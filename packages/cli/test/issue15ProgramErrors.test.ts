/**
 * Issue 15 item 11, as a user meets it: the built bin in a child process, real program files in a
 * temp dir, a real pipe whose reader goes away. A missing program or a syntax error printed
 * "internal error … this is a bug" (exit 1); `check … | head -1` died with an EPIPE stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/concurrengine.mjs', import.meta.url));
const brief = fileURLToPath(new URL('../../../examples/concurrengine.toml', import.meta.url));
const tinySim = fileURLToPath(new URL('./fixtures/tinySim.ts', import.meta.url));
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CONCURRENGINE_')));

function cli(args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000, ...(cwd ? { cwd } : {}) });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temp dir of programs; `module` adds the package.json that makes .ts/.js files ES modules. */
function programs(files: Record<string, string>, module = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'concurrengine-programs-'));
  if (module) writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** No stack frame of ours or of Node's loader. */
const noInternalFrames = (stderr: string) => {
  expect(stderr).not.toMatch(/internal error|this is a bug/i);
  expect(stderr).not.toMatch(/at .*(node:internal|\/packages\/[a-z]+\/(src|dist|bin)\/|node_modules)/);
};

describe('issue 15: a program that cannot load is exit 2 with one message', () => {
  for (const command of ['run', 'drill']) {
    it(`${command}: a missing program file is "program not found: <path>", exit 2`, () => {
      const dir = programs({});
      const { status, stdout, stderr } = cli([command, join(dir, 'missing.ts')]);
      expect(stderr).toBe(`concurrengine ${command}: program not found: ${join(dir, 'missing.ts')} [CLI_PROGRAM_NOT_FOUND]\n`);
      expect(status).toBe(2);
      expect(stdout).toBe('');
    }, 60_000);
  }

  it('names a relative path as given and where it resolved; a directory is not a program', () => {
    const dir = programs({});
    mkdirSync(join(dir, 'sub'));
    expect(cli(['run', 'nope.mjs'], dir)).toMatchObject({ status: 2, stderr: `concurrengine run: program not found: nope.mjs (${join(dir, 'nope.mjs')}) [CLI_PROGRAM_NOT_FOUND]\n` });
    expect(cli(['run', 'sub'], dir)).toMatchObject({ status: 2, stderr: expect.stringContaining('program not found: sub') });
  }, 60_000);

  it.each([
    ['TypeScript (esbuild)', 'bad.ts', true, 'let a: number = 1;\nconst x = ;\n', ':2:11: Unexpected ";"'],
    ['JavaScript module (V8, no file named)', 'bad.mjs', true, 'let a = 1;\nconst x = ;\n', ':2:11: Unexpected token \';\''],
    ['TypeScript loaded as CommonJS', 'bad.ts', false, 'let a = 1;\n  const x = ;\n', ':2:13: Unexpected token \';\''],
  ])('a syntax error in %s is file:line:column and the message, exit 2, no stack', (_, name, module, text, where) => {
    const dir = programs({ [name]: text }, module);
    const { status, stderr } = cli(['run', join(dir, name)]);
    expect(status).toBe(2);
    expect(stderr).toBe(`concurrengine run: ${join(dir, name)} does not parse: [CLI_PROGRAM_SYNTAX]\n  ${join(dir, name)}${where}\n`);
  }, 60_000);

  it('a syntax error in a module the program imports names the program', () => {
    const dir = programs({ 'main.mjs': "import './broken.mjs';\n", 'broken.mjs': 'export const = 1;\n' });
    const { status, stderr } = cli(['run', join(dir, 'main.mjs')]);
    expect(status).toBe(2);
    expect(stderr).toContain('does not parse: [CLI_PROGRAM_SYNTAX]');
    expect(stderr).toContain(`${join(dir, 'main.mjs')}: a module it imports does not parse: Unexpected token '='`);
  }, 60_000);

  it("an error thrown at the program's top level names the program and shows only its frames, exit 2", () => {
    const dir = programs({ 'top.ts': 'const limit: number = 3;\nfunction check() {\n  throw new RangeError(`need ${limit} more`);\n}\ncheck();\nexport {};\n' });
    const { status, stderr } = cli(['run', join(dir, 'top.ts')]);
    expect(status).toBe(2);
    expect(stderr).toMatch(new RegExp(`^concurrengine run: ${join(dir, 'top.ts').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} threw while loading: RangeError: need 3 more \\[CLI_PROGRAM_FAILED\\]\n`));
    expect(stderr).toContain(`at check (${join(dir, 'top.ts')}:3:`);
    noInternalFrames(stderr);
  }, 60_000);

  it('an import the program makes of a missing module is exit 2 naming both', () => {
    const dir = programs({ 'main.ts': "import './gone.js';\n" });
    const { status, stderr } = cli(['run', join(dir, 'main.ts')]);
    expect(status).toBe(2);
    expect(stderr).toContain(`Cannot find module '${join(dir, 'gone.js')}' imported from ${join(dir, 'main.ts')} [ERR_MODULE_NOT_FOUND]`);
    noInternalFrames(stderr);
  }, 60_000);
});

/** Runs the bin with stdout on a real pipe that the reader closes (after `afterChunks` chunks; 0: at once). */
function closedPipe(args: string[], afterChunks: number): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let chunks = 0;
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    if (afterChunks === 0) child.stdout.destroy();
    else
      child.stdout.on('data', () => {
        if (++chunks === afterChunks) child.stdout.destroy();
      });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stderr }));
  });
}

describe('issue 15: a reader that goes away (EPIPE) ends a command quietly', () => {
  for (const args of [['check', brief], ['check', brief, '--json'], ['--help'], ['--version']]) {
    it(`${args.join(' ')} with stdout closed before it writes: exit 0, nothing on stderr`, async () => {
      const { status, signal, stderr } = await closedPipe(args, 0);
      expect(stderr).toBe('');
      expect(signal).toBeNull();
      expect(status).toBe(0);
    }, 60_000);
  }

  it('run stops as on Ctrl-C when its reader goes after the first status line: exit 0, nothing on stderr', async () => {
    // Without the stop it would run for ten minutes and the test would time out.
    const { status, stderr } = await closedPipe(['run', tinySim, '--duration', '600s', '--status', 'plain'], 1);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  }, 60_000);

  it('keeps the exit status of a failed command (an invalid file is still exit 2, its problems on stderr)', async () => {
    const dir = programs({ 'bad.toml': '[engine]\nthreads = 0\n' });
    const { status, stderr } = await closedPipe(['check', join(dir, 'bad.toml')], 0);
    expect(status).toBe(2);
    expect(stderr).toContain('engine.threads: got 0');
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
  }, 60_000);
});
