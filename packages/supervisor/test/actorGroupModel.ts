/**
 * The object-per-actor reference for ActorSupervisionGroup: each actor keeps the list of its
 * failure times in the current window and the time of its last restart, and the decision is
 * derived from those lists. Written from the README's rules, not from the implementation.
 */
import { jitterUnit, type ActorGroupPolicy, type FailureDecision, type Intensity } from '../src/index.js';

class ActorRecord {
  windowFailures: number[] = [];
  lastRestartAt = 0;
  consecutive = 0;
}

export class ReferenceGroup {
  private actors = new Map<number, ActorRecord>();
  private groupRestarts: number[] = [];
  groupDown = false;

  constructor(
    readonly policy: ActorGroupPolicy,
    readonly seed: number,
    readonly group?: Intensity,
  ) {}

  private actor(slot: number): ActorRecord {
    let a = this.actors.get(slot);
    if (!a) this.actors.set(slot, (a = new ActorRecord()));
    return a;
  }

  recordFailure(slot: number, now: number): FailureDecision['action'] | `restart@${number}` | 'escalate:actor' | 'escalate:group' {
    if (this.groupDown) return 'escalate:group';
    const p = this.policy;
    if (p.restart === 'temporary') return 'remove';
    const a = this.actor(slot);
    // A window is open from its first failure for `within` ticks (inclusive).
    const first = a.windowFailures[0];
    if (first === undefined || now - first > p.within) a.windowFailures = [];
    a.windowFailures.push(now);
    if (a.windowFailures.length > p.maxRestarts) return 'escalate:actor';
    if (this.group) {
      const gFirst = this.groupRestarts[0];
      if (gFirst === undefined || now - gFirst > this.group.within) this.groupRestarts = [];
      this.groupRestarts.push(now);
      if (this.groupRestarts.length > this.group.maxRestarts) {
        this.groupDown = true;
        return 'escalate:group';
      }
    }
    let delay = 0;
    const b = p.backoff;
    if (b.kind === 'fixed') delay = b.delay;
    if (b.kind === 'exponential') {
      if (now - a.lastRestartAt >= b.resetAfter) a.consecutive = 0;
      const n = Math.min(a.consecutive, 32);
      const r = b.jitter > 0 ? jitterUnit(this.seed, slot, now, n) : 0;
      delay = Math.floor(Math.min(b.max, b.min * Math.pow(2, n)) * (1 + b.jitter * r));
      a.consecutive++;
    }
    a.lastRestartAt = Math.min(now + delay, 0xffffffff);
    return `restart@${a.lastRestartAt}`;
  }

  suspendedUntil(slot: number): number {
    return this.actors.get(slot)?.lastRestartAt ?? 0;
  }

  reset(slot: number): void {
    this.actors.delete(slot);
  }
}

/** The group's decision in the reference's string form. */
export function label(d: FailureDecision): string {
  return d.action === 'restart' ? `restart@${d.at}` : d.action === 'escalate' ? `escalate:${d.scope}` : d.action;
}
