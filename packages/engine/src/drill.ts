/**
 * Fault drills: faults injected on purpose while a simulation runs, to prove that supervision
 * contains them. Which actor or job is hit is a hash of (seed, tick, actor or job), so a drill is
 * as deterministic as the simulation: the same for any thread count, and the same on replay.
 * Rates live in the control words (parts of 2^31), so every thread sees a change at its next job.
 */
import type { Runnable } from '@concurrengine/actors';

/** Exit code of a worker a drill stopped (so a real crash is told apart in logs). */
export const DRILL_EXIT_CODE = 70;

/** A rate in [0, 1] as the integer the control words hold. */
export function drillRate(rate: number): number {
  return Math.round(Math.min(1, Math.max(0, rate)) * 0x7fffffff);
}

/** Whether (seed, a, b) is hit at `rate` (from `drillRate`). */
export function drillHit(seed: number, a: number, b: number, rate: number): boolean {
  let h = Math.imul(seed ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(a + 0x632be5ab, 0x85ebca6b) ^ Math.imul(b + 0x1b873593, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 1 < rate;
}

/** The error a drilled handler throws. */
export class DrillFault extends Error {
  override readonly name = 'DrillFault';
}

/**
 * `handler` with a fault in front: on a tick, the current actor (its handle, `handle()`: the same
 * actor wherever a spatial sort moved it) throws before its handler runs when the drill hits it.
 * Only installed while a drill runs, so the hot path pays nothing otherwise.
 */
export function drilledHandler(handler: Runnable['handle'], rate: () => number, seed: () => number, kindId: number, handle: () => number): Runnable['handle'] {
  return function drilled(this: Runnable, message: unknown, ctx) {
    const r = rate();
    if (r > 0 && (message as { type?: unknown }).type === 'tick' && drillHit(seed() ^ kindId, ctx.tick(), handle(), r)) {
      throw new DrillFault(`drill: injected fault in actor handle ${handle()} at tick ${ctx.tick()}`);
    }
    return handler.call(this, message, ctx);
  };
}
