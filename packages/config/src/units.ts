/**
 * Unit parsing for values written as text: frequencies (`"60hz"`, `"60 Hz"`), durations
 * (`"250ms"`, `"2s"`) and network endpoints (`"127.0.0.1:9090"`, `"[::1]:9090"`).
 * Each parser returns `undefined` when the text does not have the expected shape; callers turn
 * that into a `CONFIG_UNIT` issue.
 */

const NUMBER = String.raw`(\d+(?:_\d+)*(?:\.\d+)?(?:e[+-]?\d+)?)`;
const FREQUENCY = new RegExp(String.raw`^\s*${NUMBER}\s*(hz|khz)?\s*$`, 'i');
const DURATION = new RegExp(String.raw`^\s*${NUMBER}\s*(ms|s|m|h)\s*$`, 'i');

const MS_PER_UNIT: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function readNumber(digits: string): number {
  return Number(digits.replaceAll('_', ''));
}

/** `"60hz"`, `"60 Hz"`, `"1khz"` or `"60"` → hertz. */
export function parseFrequency(text: string): number | undefined {
  const match = FREQUENCY.exec(text);
  if (!match?.[1]) return undefined;
  const hz = readNumber(match[1]) * (match[2]?.toLowerCase() === 'khz' ? 1000 : 1);
  return Number.isFinite(hz) ? hz : undefined;
}

/** Hertz → the canonical text `"60hz"` (exact: JavaScript number text round-trips). */
export function formatFrequency(hz: number): string {
  return `${hz}hz`;
}

/** `"250ms"`, `"2s"`, `"1.5m"`, `"1h"` → milliseconds (may be fractional; callers check). */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const ms = readNumber(match[1]) * (MS_PER_UNIT[match[2].toLowerCase()] ?? Number.NaN);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Milliseconds → the largest unit that states it exactly: 2000 → `"2s"`, 250 → `"250ms"`. */
export function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    const per = MS_PER_UNIT[unit] ?? 1;
    if (ms !== 0 && ms % per === 0) return `${ms / per}${unit}`;
  }
  return `${ms}ms`;
}

/** A host and port to bind or connect to. */
export interface Endpoint {
  /** IPv4 address, host name, or IPv6 address without brackets. */
  readonly host: string;
  /** 0 asks the operating system for a free port. */
  readonly port: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV6 = /^[0-9a-f:.]+$/i;

function isHost(host: string): boolean {
  const v4 = IPV4.exec(host);
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255);
  return HOSTNAME.test(host) && !/^[\d.]+$/.test(host);
}

/** `"127.0.0.1:9090"`, `"metrics.local:9090"`, `"[::1]:9090"` → host and port. */
export function parseEndpoint(text: string): Endpoint | undefined {
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text);
  const plain = bracketed ? undefined : /^([^:[\]]+):(\d{1,5})$/.exec(text);
  const host = bracketed?.[1] ?? plain?.[1];
  const portText = bracketed?.[2] ?? plain?.[2];
  if (host === undefined || portText === undefined) return undefined;
  const port = Number(portText);
  if (port > 65_535) return undefined;
  if (bracketed ? !(IPV6.test(host) && host.includes(':')) : !isHost(host)) return undefined;
  return { host, port };
}

/** Host and port → `"host:port"`, with brackets around an IPv6 address. */
export function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

/** True when the endpoint listens on every interface (`0.0.0.0` or `::`). */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || /^[0:]+$/.test(host);
}
