/**
 * What the main thread does when a worker dies in the middle of a batch, so that every job ends
 * up run exactly once or reported not run exactly once:
 *
 * 1. Take everything still queued for the dead worker — its deque (by the thieves' own
 *    compare-and-exchange, so no live thief can take the same job) and the rest of its injector
 *    range (one atomic exchange of the cursor) — and mark it NOT_RUN.
 * 2. Wait until every live worker of the batch is idle, proven by two identical collects of
 *    (IDLE_GEN, IDLE_VERSION): between the two reads all of them held no job and were not taking
 *    one. A worker drops its idle flag *before* each attempt to take work.
 * 3. Any job still PENDING now was in the dead worker's hands (running, or half popped) and no
 *    live worker can reach it: mark it NOT_RUN, then release the barrier.
 */
import { EMPTY, RETRY } from '../deque/layout.js';
import type { Stealer } from '../deque/stealer.js';
import { NOT_RUN, PENDING, type BatchViews } from '../jobBatch.js';
import type { NotRunJob } from '../scheduler.js';
import * as L from './layout.js';
import type { WorkerHandle } from './workerHandle.js';

/** The batch being settled. */
export interface DeathContext {
  readonly ctl: Int32Array;
  readonly gen: number;
  readonly n: number;
  readonly views: BatchViews;
  readonly stealers: readonly Stealer[];
  /** Handles that took part in the batch. */
  readonly participants: readonly WorkerHandle[];
  /** Participants that died so far, in order (may grow while settling). */
  readonly deaths: WorkerHandle[];
  /** Jobs reported not run so far. */
  readonly notRun: NotRunJob[];
}

const kindOf = (v: BatchViews, id: number): number => v.jobs[id * 6]!;

function markNotRun(c: DeathContext, id: number, worker: number): void {
  c.views.status[id] = NOT_RUN;
  c.views.results[id] = 0;
  c.views.ranBy[id] = -1;
  c.notRun.push({ jobId: id, kind: kindOf(c.views, id), worker });
}

/** Step 1 for one dead worker. */
function drainDead(c: DeathContext, dead: WorkerHandle): void {
  const before = c.notRun.length;
  const stealer = c.stealers[dead.slot]!;
  for (let id = stealer.steal(); id !== EMPTY; id = stealer.steal()) {
    if (id !== RETRY) markNotRun(c, id, dead.slot);
  }
  const end = Atomics.load(c.ctl, L.slotWord(dead.slot, L.INJ_END));
  const from = Atomics.exchange(c.ctl, L.slotWord(dead.slot, L.INJ_NEXT), end);
  for (let p = from; p < end; p++) markNotRun(c, c.views.order[p]!, dead.slot);
  Atomics.add(c.ctl, L.NOT_RUN_COUNT, c.notRun.length - before);
}

function collect(c: DeathContext, live: readonly WorkerHandle[]): number[] | undefined {
  const out: number[] = [];
  for (const h of live) {
    if (Atomics.load(c.ctl, L.slotWord(h.slot, L.IDLE_GEN)) !== c.gen) return undefined;
    out.push(Atomics.load(c.ctl, L.slotWord(h.slot, L.IDLE_VERSION)));
  }
  return out;
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

/** Runs steps 1–3; resolves once the batch's barrier is released. */
export async function settleDeaths(c: DeathContext): Promise<void> {
  let drained = 0;
  for (;;) {
    while (drained < c.deaths.length) drainDead(c, c.deaths[drained++]!);
    if (Atomics.load(c.ctl, L.DONE_GEN) >= c.gen) return;
    const live = c.participants.filter((h) => !h.dead);
    const first = collect(c, live);
    const second = first && collect(c, live);
    if (!first || !second || first.some((v, i) => v !== second[i]) || drained < c.deaths.length) {
      await tick();
      continue;
    }
    // Step 3: the stragglers.
    const before = c.notRun.length;
    const current = new Map<number, number>();
    for (const d of c.deaths) current.set(c.ctl[L.slotWord(d.slot, L.CURRENT)]!, d.slot);
    const status = c.views.status;
    for (let id = 0; id < c.n; id++) {
      if (status[id] === PENDING) markNotRun(c, id, current.get(id) ?? (c.deaths.length === 1 ? c.deaths[0]!.slot : -1));
    }
    Atomics.add(c.ctl, L.NOT_RUN_COUNT, c.notRun.length - before);
    if (Atomics.compareExchange(c.ctl, L.DONE_GEN, c.gen - 1, c.gen) === c.gen - 1) Atomics.notify(c.ctl, L.DONE_GEN);
    c.notRun.sort((a, b) => a.jobId - b.jobId);
    return;
  }
}
