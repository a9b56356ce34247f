/**
 * One render of `/metrics` shared by every scrape (worker side). A scrape that arrives while a
 * render is in flight waits for that render; one that arrives less than `intervalMs` after the
 * last render finished gets its text. So the engine's thread renders at most once per
 * `intervalMs` (plus the render's own time) however many clients scrape, and a scrape storm
 * costs it nothing more than one scraper would. The outcome is cached whether it succeeded or
 * not: a failing source is asked again only after the interval too.
 */

/** A rendered exposition, or the code of why it failed (the 500 names it). */
export type RenderOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly code: string };

export interface ScrapeCache {
  /** The latest outcome if it is fresh enough, else the one in flight, else a new render. */
  get(): Promise<RenderOutcome>;
}

/**
 * @param render asks the engine's thread for a render; must not reject.
 * @param intervalMs how long a finished render is reused; 0 = only scrapes that overlap share one.
 */
export function createScrapeCache(render: () => Promise<RenderOutcome>, intervalMs: number, now: () => number = () => performance.now()): ScrapeCache {
  let inFlight: Promise<RenderOutcome> | undefined;
  let last: RenderOutcome | undefined;
  let finishedAt = 0;
  return {
    get() {
      if (inFlight !== undefined) return inFlight;
      if (last !== undefined && now() - finishedAt < intervalMs) return Promise.resolve(last);
      inFlight = render().then((outcome) => {
        last = outcome;
        finishedAt = now();
        inFlight = undefined;
        return outcome;
      });
      return inFlight;
    },
  };
}
