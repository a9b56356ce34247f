/**
 * One read of the source per scrape. prom-client calls every metric's `collect()` in one
 * synchronous pass; the first call reads the source and the rest reuse that reading until the
 * next microtask, so `threads()` runs once per scrape however many families it feeds.
 */
import { TelemetryError } from './errors.js';
import { readSource, type SourceReading, type TelemetrySource } from './source.js';

export interface ScrapeReader {
  /** The reading of the current scrape; throws `TELEMETRY_SOURCE_FAILED` if the source threw. */
  read(): SourceReading;
}

/** Wraps whatever a source threw into a `TELEMETRY_SOURCE_FAILED` error. */
export function sourceFailure(cause: unknown): TelemetryError {
  const what = cause instanceof Error ? cause.message : String(cause);
  return new TelemetryError('TELEMETRY_SOURCE_FAILED', `telemetry source threw while being read: ${what}`, { cause });
}

/** Creates a reader over `source`. */
export function createScrapeReader(source: TelemetrySource): ScrapeReader {
  let cached: SourceReading | undefined;
  let failed: TelemetryError | undefined;
  const clear = (): void => {
    cached = undefined;
    failed = undefined;
  };
  return {
    read() {
      if (failed !== undefined) throw failed;
      if (cached !== undefined) return cached;
      queueMicrotask(clear);
      try {
        cached = readSource(source);
        return cached;
      } catch (error) {
        failed = sourceFailure(error);
        throw failed;
      }
    },
  };
}
