/** Every way the telemetry package refuses or reports a problem, as a stable code (public API; messages are not). */
export type TelemetryErrorCode =
  | 'TELEMETRY_PORT_IN_USE'
  | 'TELEMETRY_BIND_DENIED'
  | 'TELEMETRY_BIND_FAILED'
  | 'TELEMETRY_INVALID_OPTION'
  | 'TELEMETRY_SOURCE_FAILED'
  | 'TELEMETRY_SERVER_ERROR';

/** A typed error of the telemetry package; `code` says what, the message names the endpoint or option. */
export class TelemetryError extends Error {
  override readonly name = 'TelemetryError';
  constructor(
    readonly code: TelemetryErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Narrows an unknown thrown value to a `TelemetryError`. */
export function isTelemetryError(error: unknown): error is TelemetryError {
  return error instanceof TelemetryError;
}
