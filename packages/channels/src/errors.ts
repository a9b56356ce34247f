/**
 * Errors of the channels package. Expected outcomes of `try*` calls are return values
 * (`'ok' | 'full' | 'closed'`); a `ChannelError` means a broken contract or a failed `send`/`recv`.
 * A failed send hands its message back in `value` (tokio's `SendError<T>(pub T)`).
 */

/** Every code a {@link ChannelError} can carry (the README lists them with their meaning). */
export type ChannelErrorCode =
  | 'CHANNEL_CLOSED'
  | 'CHANNEL_FULL'
  | 'CHANNEL_ABORTED'
  | 'CHANNEL_INVALID_OPTION'
  | 'CHANNEL_INVALID_CODEC'
  | 'CHANNEL_UNKNOWN_RECORD_TYPE'
  | 'CHANNEL_RECORD_TOO_LARGE'
  | 'CHANNEL_RECORD_INVALID'
  | 'CHANNEL_BAD_BUFFER'
  | 'CHANNEL_RECEIVER_TAKEN';

/** The one error class of this package; `value` is the message a failed send hands back. */
export class ChannelError<T = unknown> extends Error {
  override readonly name = 'ChannelError';
  constructor(
    readonly code: ChannelErrorCode,
    message: string,
    readonly value?: T,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** True when `error` is a {@link ChannelError}, optionally with the given code. */
export function isChannelError(error: unknown, code?: ChannelErrorCode): error is ChannelError {
  return error instanceof ChannelError && (code === undefined || error.code === code);
}

/**
 * Re-throws an error raised by user code (a critical handler) in a new macrotask, so it is never
 * swallowed and never unwinds the sender that happened to deliver the message (XState's
 * `reportUnhandledError`).
 */
export function reportUnhandledError(error: unknown): void {
  setTimeout(() => {
    throw error;
  });
}
