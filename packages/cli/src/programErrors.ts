/**
 * Turns what `import()` of a user's program threw into what a user can act on: where a syntax
 * error is (`file:line:column`, 1-based like the configuration's issues), or the program's own
 * stack frames — never the CLI's, the engine's or Node's loader frames (issue 15: a missing
 * program or a syntax error printed "internal error … this is a bug", exit 1).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Our own code: `packages/<name>/src|dist|bin/` of this workspace, or an installed `@concurrengine/<name>`. */
const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));
const OURS = new RegExp(`^(?:${escape(PACKAGES)}[^/]+/(?:src|dist|bin)/|.*/node_modules/@concurrengine/)`);
/** Frames printed for a program's throw: enough to find the line, short enough to read. */
const MAX_FRAMES = 5;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Frame {
  readonly line: string;
  /** The file of the frame, a path or a URL; undefined for `native` and the like. */
  readonly file?: string;
}

function framesOf(error: Error): Frame[] {
  const frames: Frame[] = [];
  for (const line of (error.stack ?? '').split('\n')) {
    const at = /^\s+at (?:async )?(?:.*? \()?(.*?)(?::\d+:\d+)?\)?$/.exec(line);
    if (!at) continue;
    const file = at[1]!.startsWith('file://') ? safePath(at[1]!) : at[1]!;
    frames.push({ line: line.trim(), ...(file ? { file } : {}) });
  }
  return frames;
}

function safePath(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined; // not a file URL after all (a data: module): no file to name
  }
}

const isInternal = (file: string | undefined): boolean => file === undefined || file.startsWith('node:') || file === 'native' || file.includes('/node_modules/');

/** Whether the first frame with a file is in our own code (then the throw is ours: a bug, exit 1). */
export function thrownByUs(error: Error): boolean {
  const first = framesOf(error).find((f) => f.file !== undefined && !f.file.startsWith('node:'));
  return first?.file !== undefined && OURS.test(first.file);
}

/** The program's own frames (not Node's, a dependency's or ours), at most five, as `    at …` lines. */
export function userFrames(error: Error): string[] {
  return framesOf(error)
    .filter((f) => !isInternal(f.file) && !OURS.test(f.file!))
    .slice(0, MAX_FRAMES)
    .map((f) => `    ${f.line}`);
}

/**
 * `file:line:column: message` lines of a syntax error, or undefined when `error` is none.
 * Three shapes: esbuild's (TypeScript through tsx: "Transform failed … file:line:col: ERROR: …",
 * column 0-based), Node's decorated one (CommonJS: "file:line\n<source>\n   ^\n\nSyntaxError: …"),
 * and V8's bare one from the ESM loader, which names no file: `node --check` on the program
 * finds the place (a child process, on this error path only).
 */
export function syntaxLocation(error: unknown, programPath: string): string[] | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'TransformError' || /^Transform failed with \d+ errors?:/.test(error.message)) {
    const lines = [...error.message.matchAll(/^(.*):(\d+):(\d+): ERROR: (.*)$/gm)].map((m) => `${m[1]}:${m[2]}:${Number(m[3]) + 1}: ${m[4]}`);
    return lines.length > 0 ? lines : [`${programPath}: ${error.message}`];
  }
  if (!(error instanceof SyntaxError)) return undefined;
  const decorated = decoratedLocation(error.stack ?? '');
  if (decorated) return [`${decorated}: ${error.message}`];
  const checked = spawnSync(process.execPath, ['--check', programPath], { encoding: 'utf8', timeout: 30_000 });
  const found = checked.status !== 0 ? decoratedLocation(checked.stderr ?? '') : undefined;
  if (found) return [`${found}: ${error.message}`];
  // The program itself parses: the error is in a module it imports, which V8 does not name.
  return [`${programPath}: a module it imports does not parse: ${error.message}`];
}

/** `file:line:column` from Node's "file:line\n<source line>\n<caret line>" header, if there is one. */
function decoratedLocation(text: string): string | undefined {
  const m = /^(.+):(\d+)\n.*\n( *)\^/.exec(text);
  if (!m) return undefined;
  const file = m[1]!.startsWith('file://') ? (safePath(m[1]!) ?? m[1]!) : m[1]!;
  return `${file}:${m[2]}:${m[3]!.length + 1}`;
}
