/**
 * The exporter's request handling (worker side): `/metrics`, the dashboard at `/`, its stream at
 * `/stream`. In order: 503 beyond `maxConcurrentRequests` requests being served, 401 without the
 * token (when one is set), 405 other methods, 413 a request with a body, 414 an overlong target,
 * 404 unknown path, 503 too many stream clients.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DASHBOARD_HTML } from '../dashboard/page.js';
import { AUTH_CHALLENGE } from './auth.js';
import { COUNTER } from './protocol.js';
import type { ScrapeCache } from './scrapeCache.js';
import type { StreamHub } from './streamHub.js';

/** Longest request target accepted, in characters. */
export const MAX_TARGET_LENGTH = 2048;

export interface RouteContext {
  readonly scrapes: ScrapeCache;
  readonly contentType: string;
  readonly hub: StreamHub | undefined;
  /** Undefined: no authentication. */
  readonly authorized: ((header: string | undefined) => boolean) | undefined;
  readonly maxConcurrentRequests: number;
  readonly counters: BigUint64Array;
  /** Requests being served now, dashboard streams excluded (they have their own cap). */
  inFlight: number;
}

const DASHBOARD_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:";

function reply(res: ServerResponse, status: number, text: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(text);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function serveMetrics(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): void {
  void ctx.scrapes.get().then((outcome) => {
    if (res.destroyed) return;
    if (!outcome.ok) return reply(res, 500, `# scrape failed: ${outcome.code}\n`);
    res.writeHead(200, { 'Content-Type': ctx.contentType, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : outcome.text);
  });
}

/** Handles one request. Never throws for a well-formed request; the server reports what does. */
export function handleRequest(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): void {
  if (ctx.inFlight >= ctx.maxConcurrentRequests) {
    Atomics.add(ctx.counters, COUNTER.rejectedBusy, 1n);
    return reply(res, 503, `more than ${ctx.maxConcurrentRequests} requests at once; retry later\n`, { 'Retry-After': '1', Connection: 'close' });
  }
  ctx.inFlight++;
  let held = true;
  const release = (): void => {
    if (held) ctx.inFlight--;
    held = false;
  };
  res.once('close', release);
  if (ctx.authorized !== undefined && !ctx.authorized(req.headers.authorization)) {
    Atomics.add(ctx.counters, COUNTER.rejectedUnauthorized, 1n);
    return reply(res, 401, 'authentication required: send "Authorization: Bearer <token>" or basic auth with the token as password\n', { 'WWW-Authenticate': AUTH_CHALLENGE });
  }
  const target = req.url ?? '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'only GET and HEAD are served\n', { Allow: 'GET, HEAD' });
  if (hasBody(req)) return reply(res, 413, 'requests with a body are refused\n', { Connection: 'close' });
  if (target.length > MAX_TARGET_LENGTH) return reply(res, 414, `request target longer than ${MAX_TARGET_LENGTH} characters\n`);
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  switch (path) {
    case '/metrics':
      return serveMetrics(ctx, req, res);
    case '/':
    case '/index.html':
      if (ctx.hub === undefined) break;
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': DASHBOARD_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      });
      return void res.end(req.method === 'HEAD' ? undefined : DASHBOARD_HTML);
    case '/stream':
      if (ctx.hub === undefined) break;
      // A stream lives long and is capped by maxStreamClients, not by the request bound.
      release();
      if (!ctx.hub.attach(res)) {
        Atomics.add(ctx.counters, COUNTER.rejectedStreams, 1n);
        reply(res, 503, 'too many dashboard streams\n', { 'Retry-After': '5' });
      }
      return;
    case '/favicon.ico':
      res.writeHead(204);
      return void res.end();
    default:
      break;
  }
  reply(res, 404, `not found: ${path.slice(0, 200)}; try /metrics${ctx.hub === undefined ? '' : ' or /'}\n`);
}
