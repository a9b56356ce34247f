/**
 * The exporter's request handling: `/metrics`, the dashboard at `/`, its stream at `/stream`.
 * Anything else is refused with the usual status: 404 unknown path, 405 other methods, 413 a
 * request with a body, 414 an overlong target, 503 too many stream clients.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TelemetryError } from '../errors.js';
import { DASHBOARD_HTML } from '../dashboard/page.js';
import type { TelemetryFeed } from '../telemetry.js';
import type { StreamHub } from './streamHub.js';

/** Longest request target accepted, in characters. */
export const MAX_TARGET_LENGTH = 2048;

export interface RouteContext {
  readonly feed: TelemetryFeed;
  readonly hub: StreamHub | undefined;
  readonly onError: (error: TelemetryError) => void;
}

const DASHBOARD_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:";

function reply(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(text);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function serveMetrics(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): void {
  ctx.feed.metrics().then(
    (text) => {
      res.writeHead(200, { 'Content-Type': ctx.feed.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
    (error: unknown) => {
      const wrapped = error instanceof TelemetryError ? error : new TelemetryError('TELEMETRY_SERVER_ERROR', 'collecting /metrics failed', { cause: error });
      ctx.onError(wrapped);
      if (!res.headersSent) reply(res, 500, `# scrape failed: ${wrapped.code}\n`);
    },
  );
}

/** Handles one request. Never throws: failures become a 500 and an `onError` report. */
export function handleRequest(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): void {
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
      if (!ctx.hub.attach(res)) reply(res, 503, 'too many dashboard streams\n', { 'Retry-After': '5' });
      return;
    case '/favicon.ico':
      res.writeHead(204);
      return void res.end();
    default:
      break;
  }
  reply(res, 404, `not found: ${path.slice(0, 200)}; try /metrics${ctx.hub === undefined ? '' : ' or /'}\n`);
}
