/**
 * The live status of a running engine: one line rewritten in place on a terminal (4 times a
 * second), or a plain line every second otherwise (logs, CI).
 */
import type { EngineStats } from '@concurrengine/engine';

export function formatStatus(stats: EngineStats, achievedHz: number, eventsPerSecond: number): string {
  const workers = stats.scheduler.workers;
  const steals = workers.reduce((n, w) => n + w.stolenJobs, 0);
  return [
    stats.state,
    `tick ${stats.tick}`,
    `${achievedHz.toFixed(1)}/${stats.tickRateHz} Hz`,
    `tick p50 ${stats.tickMs.p50.toFixed(2)} ms p99 ${stats.tickMs.p99.toFixed(2)} ms`,
    `actors ${stats.actors.toLocaleString('en-US')}`,
    `events ${(eventsPerSecond / 1e6).toFixed(2)} M/s`,
    `threads ${stats.threads}`,
    `steals ${steals}`,
    `fast-path ${(stats.scheduler.fastPathRatio * 100).toFixed(1)}%`,
    `overruns ${stats.overruns}`,
    ...(stats.handlerFailures > 0 ? [`handler errors ${stats.handlerFailures}`] : []),
    ...(stats.supervision && stats.supervision.restarts > 0 ? [`restarts ${stats.supervision.restarts}`] : []),
    ...(stats.supervision && stats.supervision.escalations > 0 ? [`escalations ${stats.supervision.escalations}`] : []),
  ].join('  ');
}

/** Samples rates between prints; `print` decides when to write. */
export class StatusPrinter {
  private lastAt: number;
  private lastTick = 0;
  private lastEvents = 0;

  constructor(
    private readonly write: (text: string) => void,
    readonly tty: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastAt = now();
  }

  /** Called every tick; prints when the interval has passed. */
  maybePrint(stats: () => EngineStats): void {
    const at = this.now();
    const elapsed = at - this.lastAt;
    if (elapsed < (this.tty ? 250 : 1000)) return;
    const s = stats();
    const hz = ((s.tick - this.lastTick) * 1000) / elapsed;
    const eventsPerSecond = ((s.eventsEmitted - this.lastEvents) * 1000) / elapsed;
    this.lastAt = at;
    this.lastTick = s.tick;
    this.lastEvents = s.eventsEmitted;
    const line = formatStatus(s, hz, eventsPerSecond);
    this.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  /** Ends the in-place line on a terminal. */
  finish(): void {
    if (this.tty) this.write('\n');
  }
}
