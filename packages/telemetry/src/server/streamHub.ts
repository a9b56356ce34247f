/**
 * The dashboard's Server-Sent Events stream (worker side). One frame is asked of the engine's
 * thread per interval and written to every client; the timer runs only while a client is
 * connected, and an interval whose frame is still being built is skipped, not queued. A client
 * whose socket does not drain (more than `maxBufferedBytes` unsent) skips frames instead of
 * buffering them, and is dropped after `stallTimeoutMs` of that, so a slow or vanished client
 * cannot grow memory.
 */
import type { ServerResponse } from 'node:http';
import { COUNTER } from './protocol.js';

export interface StreamHubOptions {
  /** The next frame as JSON, built on the engine's thread; undefined when it could not be built. */
  readonly frame: () => Promise<string | undefined>;
  readonly intervalMs: number;
  readonly maxClients: number;
  readonly maxBufferedBytes: number;
  readonly stallTimeoutMs: number;
  /** The shared counter block (protocol.ts); the hub adds to the stream slots. */
  readonly counters: BigUint64Array;
}

export interface StreamStats {
  readonly clients: number;
  /** Frames asked of the engine's thread. */
  readonly framesBuilt: number;
  readonly framesSent: number;
  /** Frames not written to a client because its socket had not drained. */
  readonly framesSkipped: number;
  /** Clients disconnected for not draining. */
  readonly clientsDropped: number;
}

export interface StreamHub {
  /** Starts streaming to `res`; false (and nothing written) when `maxClients` are connected. */
  attach(res: ServerResponse): boolean;
  /** Ends every stream and stops the timer. */
  close(): void;
}

interface Client {
  readonly res: ServerResponse;
  stalledSince: number;
}

/** Creates a hub with no clients. */
export function createStreamHub(options: StreamHubOptions): StreamHub {
  const clients = new Set<Client>();
  const counters = options.counters;
  const add = (slot: number): void => void Atomics.add(counters, slot, 1n);
  let timer: NodeJS.Timeout | undefined;
  let latest = '';
  let building = false;

  const broadcast = (): void => {
    const now = Date.now();
    for (const client of clients) {
      if (client.res.writableLength > options.maxBufferedBytes) {
        add(COUNTER.framesSkipped);
        if (client.stalledSince === 0) client.stalledSince = now;
        else if (now - client.stalledSince > options.stallTimeoutMs) {
          add(COUNTER.streamClientsDropped);
          remove(client);
          client.res.destroy();
        }
        continue;
      }
      client.stalledSince = 0;
      client.res.write(latest);
      add(COUNTER.framesSent);
    }
  };

  const build = (): void => {
    // One frame at a time: a busy engine thread makes the stream slower, not the queue longer.
    if (building || clients.size === 0) return;
    building = true;
    add(COUNTER.framesBuilt);
    void options.frame().then((data) => {
      building = false;
      if (data === undefined) return;
      latest = `data: ${data}\n\n`;
      broadcast();
    });
  };

  const remove = (client: Client): void => {
    if (!clients.delete(client)) return;
    Atomics.store(counters, COUNTER.streamClients, BigInt(clients.size));
    if (clients.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    attach(res) {
      if (clients.size >= options.maxClients) return false;
      const client: Client = { res, stalledSince: 0 };
      clients.add(client);
      Atomics.store(counters, COUNTER.streamClients, BigInt(clients.size));
      res.on('close', () => remove(client));
      res.on('error', () => remove(client));
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.write('retry: 1000\n\n');
      if (latest === '') build();
      else {
        res.write(latest);
        add(COUNTER.framesSent);
      }
      if (timer === undefined) {
        timer = setInterval(build, options.intervalMs);
        timer.unref();
      }
      return true;
    },
    close() {
      for (const client of [...clients]) {
        remove(client);
        client.res.end();
      }
    },
  };
}
