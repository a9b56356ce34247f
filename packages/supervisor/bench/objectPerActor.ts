/**
 * The peer: the same restart policy with one object per supervised actor (what Akka and most
 * actor libraries keep per child). Same algorithm as ActorSupervisionGroup, so the benches
 * compare memory layout, not logic.
 */
import { backoffDelay, jitterUnit, type ActorGroupPolicy } from '@concurrengine/supervisor';

class ChildRestartState {
  until = 0;
  windowStart = 0;
  count = 0;
  exponent = 0;
}

export type PeerDecision = { action: 'restart'; at: number } | { action: 'remove' } | { action: 'escalate'; reason: string };

export class ObjectPerActorGroup {
  restarts = 0;
  readonly children: ChildRestartState[];
  constructor(
    capacity: number,
    readonly policy: ActorGroupPolicy,
    readonly seed: number,
  ) {
    this.children = [];
    for (let i = 0; i < capacity; i++) this.children.push(new ChildRestartState());
  }

  recordFailure(slot: number, now: number): PeerDecision {
    const p = this.policy;
    if (p.restart === 'temporary') return { action: 'remove' };
    const c = this.children[slot]!;
    if (c.count === 0 || now - c.windowStart > p.within) {
      c.windowStart = now;
      c.count = 0;
    }
    if (++c.count > p.maxRestarts) return { action: 'escalate', reason: `actor ${slot} failed too often` };
    const b = p.backoff;
    let e = c.exponent;
    if (b.kind === 'exponential' && now - c.until >= b.resetAfter) e = 0;
    const unit = b.kind === 'exponential' && b.jitter > 0 ? jitterUnit(this.seed, slot, now, e) : 0;
    c.until = now + backoffDelay(b, e, unit);
    c.exponent = Math.min(e + 1, 32);
    this.restarts++;
    return { action: 'restart', at: c.until };
  }
}
