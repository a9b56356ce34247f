/**
 * A reference model of OTP supervision, as small as it can be: children as a list of
 * `{ id, restart, running }`, restart timestamps, and the log of starts and stops each step must
 * produce. No backoff, no asynchrony (fast-check: the model is a simplification, not a copy).
 */
import type { RestartType, Strategy } from '../src/index.js';

export interface ModelChild {
  readonly id: string;
  readonly restart: RestartType;
  running: boolean;
}

export type ExitKind = 'error' | 'normal' | 'shutdown';

export class OtpModel {
  children: ModelChild[] = [];
  restartTimes: number[] = [];
  down = false;
  now = 0;
  log: string[] = [];
  dynamicIds = 0;

  constructor(
    readonly strategy: Strategy,
    readonly maxRestarts: number,
    readonly period: number,
  ) {}

  get dynamic(): boolean {
    return this.strategy === 'simple_one_for_one';
  }

  running(): ModelChild[] {
    return this.children.filter((c) => c.running);
  }

  private startIt(c: ModelChild): void {
    this.log.push(`start:${c.id}`);
    c.running = true;
  }

  private stopIt(c: ModelChild): void {
    if (!c.running) return;
    this.log.push(`stop:${c.id}`);
    c.running = false;
  }

  add(id: string, restart: RestartType): void {
    const c = { id, restart, running: false };
    this.children.push(c);
    this.startIt(c);
  }

  exit(id: string, kind: ExitKind): void {
    const c = this.children.find((x) => x.id === id)!;
    c.running = false;
    const restart = c.restart === 'permanent' || (c.restart === 'transient' && kind === 'error');
    if (!restart) {
      if (c.restart === 'temporary' || this.dynamic) this.children = this.children.filter((x) => x !== c);
      return;
    }
    // OTP add_restart: keep restarts no older than the period, add this one, compare with MaxR.
    this.restartTimes = [this.now, ...this.restartTimes.filter((t) => this.now - t <= this.period)];
    if (this.restartTimes.length > this.maxRestarts) {
      for (const o of [...this.children].reverse()) this.stopIt(o);
      this.down = true;
      return;
    }
    const i = this.children.indexOf(c);
    const group = this.strategy === 'one_for_all' ? [...this.children] : this.strategy === 'rest_for_one' ? this.children.slice(i) : [c];
    for (const o of [...group].reverse()) this.stopIt(o);
    const dropped = group.filter((o) => o !== c && o.restart === 'temporary');
    this.children = this.children.filter((o) => !dropped.includes(o));
    for (const o of group) if (!dropped.includes(o)) this.startIt(o);
  }

  terminate(id: string): void {
    const c = this.children.find((x) => x.id === id)!;
    this.stopIt(c);
    if (c.restart === 'temporary' || this.dynamic) this.children = this.children.filter((x) => x !== c);
  }

  shutdown(): void {
    for (const o of [...this.children].reverse()) this.stopIt(o);
    this.down = true;
  }
}
