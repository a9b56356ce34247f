/** Where the exporter listens: loopback by default, all interfaces only when asked for. */
import { TelemetryError } from '../errors.js';

/** A host and port, as `@concurrengine/config` parses `[telemetry] endpoint`. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** `127.0.0.1:9090`: the brief's port, bound to loopback unless configured otherwise. */
export const DEFAULT_ENDPOINT: Endpoint = Object.freeze({ host: '127.0.0.1', port: 9090 });

/** Fills in defaults and checks the port. Throws `TELEMETRY_INVALID_OPTION`. */
export function resolveEndpoint(endpoint: Partial<Endpoint> | undefined): Endpoint {
  const host = endpoint?.host ?? DEFAULT_ENDPOINT.host;
  const port = endpoint?.port ?? DEFAULT_ENDPOINT.port;
  if (typeof host !== 'string' || host.length === 0) {
    throw new TelemetryError('TELEMETRY_INVALID_OPTION', `telemetry endpoint host must be a non-empty string, got ${JSON.stringify(host)}`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TelemetryError('TELEMETRY_INVALID_OPTION', `telemetry endpoint port must be an integer from 0 to 65535 (0 = any free port), got ${String(port)}`);
  }
  return { host, port };
}

/** `host:port`, with brackets around an IPv6 host. */
export function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}
