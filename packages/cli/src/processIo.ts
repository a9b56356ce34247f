/**
 * The real process as a `CliIo`. A reader that goes away (`concurrengine check … | head -1`)
 * makes the next write to stdout fail with `EPIPE`, emitted as an 'error' event that, unheard,
 * killed the process with a stack trace (issue 15). Here that is not an error: the output is
 * discarded from then on, `stdoutClosed` aborts (`run` and `replay` stop as on Ctrl-C, closing the
 * engine cleanly), and the command exits with the status it would have had — 0 when it succeeded.
 * Node ignores SIGPIPE, so there is no 141.
 */
import type { CliIo } from './command.js';

/** Errors that mean "nobody reads this stream any more": quiet. */
const GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

/** `write` to `stream` until its first error, then nothing; `onError` hears that error once. */
function guarded(stream: NodeJS.WriteStream, onError: (error: NodeJS.ErrnoException) => void): (text: string) => void {
  let open = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (!open) return;
    open = false;
    onError(error);
  });
  return (text) => {
    if (open) stream.write(text);
  };
}

/** One per process: the streams' listeners are installed once, whatever the number of `main()` calls. */
let streams: Pick<CliIo, 'stdout' | 'stderr' | 'stdoutClosed'> | undefined;

/** The process's streams, environment and directory, with stdout and stderr safe against a closed pipe. */
export function processIo(): CliIo {
  if (!streams) {
    const closed = new AbortController();
    const stderr = guarded(process.stderr, () => {}); // nowhere left to say it
    const stdout = guarded(process.stdout, (error) => {
      closed.abort();
      if (!GONE.has(error.code ?? '')) stderr(`concurrengine: stdout: ${error.message}; output discarded from here\n`);
    });
    streams = { stdout, stderr, stdoutClosed: closed.signal };
  }
  return { ...streams, env: process.env, cwd: process.cwd() };
}
