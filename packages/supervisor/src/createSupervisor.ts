/**
 * The tree supervisor. All of its work runs through one mailbox (a promise chain), like an
 * Erlang process: child exits, API calls and backoff timers are handled one at a time, in arrival
 * order, so each restart sees a consistent set of children.
 *
 * Restart protocol for a child that exited (numbered as in OTP's supervisor.erl):
 *  1. ignore exits of instances already retired (stopped by us or replaced);
 *  2. not restarted (temporary; transient after a normal exit) → `giveUp`, forget temporaries;
 *  3. add the restart to the intensity window (timestamps ≥ now − withinMs); more than
 *     maxRestarts → `escalate`: stop every child in reverse start order and exit abnormally;
 *  4. pick the children per strategy (the one / all / it and those started after it), stop the
 *     running ones in reverse start order, forget temporary ones among them;
 *  5. after the backoff delay (at once when 0), start them in start order; a failed start is
 *     handled as an exit of that child with its error (back to 2).
 */
import { backoffDelay, jitterUnit, MAX_EXPONENT } from './backoff.js';
import { checkId, checkSpecFields, isAbnormal, type Child, type ChildSpec, type ExitReason } from './child.js';
import { systemClock, type Clock, type Timer } from './clock.js';
import { reportUnhandledError, show, SupervisorError } from './errors.js';
import { checkBackoff, checkIntensity, type BackoffPolicy, type RestartType } from './policy.js';
import { stopWithin, toError } from './stopChild.js';
import type {
  ChildInfo,
  DynamicSupervisor,
  DynamicSupervisorOptions,
  StaticSupervisorOptions,
  Strategy,
  Supervisor,
  SupervisorEvent,
  SupervisorState,
} from './supervisor.js';

/** A restart waiting for its backoff; an entry belongs to the newest plan that includes it. */
interface Plan {
  readonly targets: readonly Entry[];
  timer: Timer | undefined;
}

interface Entry {
  readonly id: string;
  readonly start: () => Child | Promise<Child>;
  readonly restart: RestartType;
  readonly shutdown: number;
  child: Child | undefined;
  /** Bumped whenever the current instance is retired, so its late exit is ignored. */
  gen: number;
  plan: Plan | undefined;
  /** Exponent of this child's next exponential backoff. */
  exponent: number;
  /** Clock time of the last successful start (for `resetAfter`). */
  startedAt: number;
}

const noop = (): void => {};

class TreeSupervisor {
  state: SupervisorState = 'idle';
  readonly name: string;
  private readonly entries: Entry[] = [];
  private mailbox: Promise<void> = Promise.resolve();
  private restartTimes: number[] = [];
  private readonly exitListeners: Array<(reason: ExitReason) => void> = [];
  private exitReason: ExitReason | undefined;
  private stopping: Promise<void> | undefined;
  private readonly plans = new Set<Plan>();
  private dynamicCount = 0;
  private jitterCount = 0;
  private readonly strategy: Strategy;
  private readonly maxRestarts: number;
  private readonly withinMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly clock: Clock;
  private readonly seed: number;
  private readonly onEvent: ((event: SupervisorEvent) => void) | undefined;
  private readonly template: { start: (args: unknown) => Child | Promise<Child>; restart: RestartType; shutdown: number } | undefined;

  constructor(options: StaticSupervisorOptions | DynamicSupervisorOptions<unknown>) {
    if (typeof options !== 'object' || options === null) {
      throw new SupervisorError('SUPERVISOR_INVALID_POLICY', `createSupervisor: options must be an object, got ${show(options)}`);
    }
    this.name = options.name ?? 'supervisor';
    const where = `supervisor "${this.name}"`;
    const strategy: unknown = options.strategy;
    if (strategy !== 'one_for_one' && strategy !== 'one_for_all' && strategy !== 'rest_for_one' && strategy !== 'simple_one_for_one') {
      throw new SupervisorError(
        'SUPERVISOR_INVALID_POLICY',
        `${where}: strategy must be "one_for_one", "one_for_all", "rest_for_one" or "simple_one_for_one", got ${show(strategy)}`,
      );
    }
    this.strategy = strategy;
    const intensity = options.intensity ?? { maxRestarts: 1, withinMs: 5_000 };
    checkIntensity(intensity.maxRestarts, intensity.withinMs, where, 'withinMs');
    this.maxRestarts = intensity.maxRestarts;
    this.withinMs = intensity.withinMs;
    this.backoff = checkBackoff(options.backoff ?? { kind: 'none' }, where);
    this.clock = options.clock ?? systemClock;
    this.seed = options.seed ?? 0;
    this.onEvent = options.onEvent;
    if (options.strategy === 'simple_one_for_one') {
      const t = options.child;
      const checked = checkSpecFields(t, `${where} child template`);
      this.template = { start: t.start as (args: unknown) => Child | Promise<Child>, ...checked };
    } else {
      if (!Array.isArray(options.children)) {
        throw new SupervisorError('SUPERVISOR_INVALID_SPEC', `${where}: children must be an array of child specs, got ${show(options.children)}`);
      }
      for (const spec of options.children) this.entries.push(this.makeEntry(spec as unknown));
    }
  }

  private makeEntry(spec: unknown): Entry {
    const id = checkId(spec, `supervisor "${this.name}"`);
    const checked = checkSpecFields(spec, `supervisor "${this.name}" child "${id}"`);
    if (this.entries.some((e) => e.id === id)) {
      throw new SupervisorError('SUPERVISOR_DUPLICATE_CHILD', `supervisor "${this.name}": two children with id "${id}"`);
    }
    return newEntry(id, (spec as ChildSpec).start, checked.restart, checked.shutdown);
  }

  start(): Promise<void> {
    if (this.state !== 'idle') return Promise.reject(this.notRunning('start() of a supervisor that is not idle'));
    this.state = 'starting';
    return this.enqueue(async () => {
      for (const e of this.entries) {
        if (this.state !== 'starting') return; // stop() arrived; its shutdown runs next
        const error = await this.startEntry(e);
        if (error !== undefined) {
          await this.stopAll();
          this.state = 'stopped';
          throw new SupervisorError('SUPERVISOR_START_FAILED', `supervisor "${this.name}": child "${e.id}" failed to start`, { cause: error });
        }
      }
      if (this.state === 'starting') this.state = 'running';
    });
  }

  startChild(arg: unknown): Promise<string> {
    const template = this.template;
    let entry: Entry;
    try {
      if (template !== undefined) {
        entry = newEntry(`${++this.dynamicCount}`, () => template.start(arg), template.restart, template.shutdown);
      } else {
        entry = this.makeEntry(arg);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(async () => {
      if (this.state !== 'running') throw this.notRunning(`startChild("${entry.id}")`);
      if (this.entries.some((e) => e.id === entry.id)) {
        throw new SupervisorError('SUPERVISOR_DUPLICATE_CHILD', `supervisor "${this.name}": a child with id "${entry.id}" exists`);
      }
      this.entries.push(entry);
      const error = await this.startEntry(entry);
      if (error !== undefined) {
        this.forget(entry);
        throw new SupervisorError('SUPERVISOR_START_FAILED', `supervisor "${this.name}": child "${entry.id}" failed to start`, { cause: error });
      }
      return entry.id;
    });
  }

  terminateChild(id: string): Promise<void> {
    return this.enqueue(async () => {
      const e = this.entries.find((x) => x.id === id);
      if (e === undefined) throw new SupervisorError('SUPERVISOR_UNKNOWN_CHILD', `supervisor "${this.name}": no child with id ${show(id)}`);
      await this.stopEntry(e);
      if (this.template !== undefined || e.restart === 'temporary') this.forget(e);
    });
  }

  whichChildren(): ChildInfo[] {
    return this.entries.map((e) => ({
      id: e.id,
      status: e.child !== undefined ? 'running' : e.plan !== undefined ? 'restarting' : 'stopped',
      restart: e.restart,
    }));
  }

  stop(): Promise<void> {
    if (this.stopping !== undefined) return this.stopping;
    if (this.state === 'stopped') return Promise.resolve();
    this.state = 'stopping';
    for (const plan of this.plans) plan.timer?.cancel();
    this.plans.clear();
    this.stopping = this.enqueue(async () => {
      if (this.exitReason !== undefined) return; // escalated meanwhile: already down
      await this.stopAll();
      this.finish('shutdown');
    });
    return this.stopping;
  }

  onExit(listener: (reason: ExitReason) => void): void {
    const reason = this.exitReason;
    if (reason !== undefined) queueMicrotask(() => listener(reason));
    else this.exitListeners.push(listener);
  }

  // --- mailbox ---------------------------------------------------------------------------------

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.mailbox.then(task);
    this.mailbox = run.then(noop, noop); // the caller of enqueue owns the rejection
    return run;
  }

  private async startEntry(e: Entry): Promise<Error | undefined> {
    let child: Child;
    try {
      child = await e.start();
    } catch (thrown) {
      return toError(thrown);
    }
    if (typeof child?.stop !== 'function' || typeof child.onExit !== 'function') {
      return new SupervisorError('SUPERVISOR_INVALID_SPEC', `supervisor "${this.name}" child "${e.id}": start() must return a Child (stop, onExit), got ${show(child)}`);
    }
    e.child = child;
    e.plan = undefined;
    e.startedAt = this.clock.now();
    const gen = ++e.gen;
    this.emit({ type: 'started', supervisor: this.name, id: e.id });
    child.onExit((reason) => {
      this.enqueue(() => this.childExited(e, gen, reason)).catch(reportUnhandledError);
    });
    return undefined;
  }

  private async childExited(e: Entry, gen: number, reason: ExitReason): Promise<void> {
    if (e.gen !== gen || e.child === undefined || this.state !== 'running') return; // step 1
    e.child = undefined;
    e.gen++;
    this.emit({ type: 'exited', supervisor: this.name, id: e.id, reason });
    await this.failed(e, reason);
  }

  /** Steps 2–5 for `e`, which is no longer running. */
  private async failed(e: Entry, reason: ExitReason): Promise<void> {
    const restartIt = e.restart === 'permanent' || (e.restart === 'transient' && isAbnormal(reason));
    if (!restartIt) {
      this.emit({ type: 'giveUp', supervisor: this.name, id: e.id, reason });
      if (e.restart === 'temporary' || this.template !== undefined) this.forget(e);
      return;
    }
    const now = this.clock.now();
    const threshold = now - this.withinMs;
    this.restartTimes = this.restartTimes.filter((t) => t >= threshold);
    this.restartTimes.push(now);
    if (this.restartTimes.length > this.maxRestarts) return this.escalate(e, reason);

    const affected =
      this.strategy === 'one_for_all' ? [...this.entries] : this.strategy === 'rest_for_one' ? this.entries.slice(this.entries.indexOf(e)) : [e];
    for (let i = affected.length - 1; i >= 0; i--) {
      const o = affected[i]!;
      if (o !== e && o.child !== undefined) await this.stopEntry(o);
    }
    for (const o of affected) {
      if (o !== e && o.restart === 'temporary') {
        this.emit({ type: 'giveUp', supervisor: this.name, id: o.id, reason: 'shutdown' });
        this.forget(o);
      }
    }
    const targets = affected.filter((o) => o === e || o.restart !== 'temporary');
    const delay = this.delayFor(e, now);
    const plan: Plan = { targets, timer: undefined };
    for (const t of targets) t.plan = plan;
    this.emit({ type: 'restart', supervisor: this.name, id: e.id, reason, delay, children: targets.map((t) => t.id) });
    if (delay === 0) return this.runPlan(plan);
    this.plans.add(plan);
    plan.timer = this.clock.setTimer(delay, () => {
      this.plans.delete(plan);
      this.enqueue(() => this.runPlan(plan)).catch(reportUnhandledError);
    });
  }

  private delayFor(e: Entry, now: number): number {
    const b = this.backoff;
    if (b.kind !== 'exponential') return backoffDelay(b, 0, 0);
    if (now - e.startedAt >= b.resetAfter) e.exponent = 0;
    const unit = b.jitter > 0 ? jitterUnit(this.seed, this.jitterCount++, e.exponent, 0) : 0;
    const delay = backoffDelay(b, e.exponent, unit);
    if (e.exponent < MAX_EXPONENT) e.exponent++;
    return delay;
  }

  /** Step 5: start the plan's children that still belong to it, in start order. */
  private async runPlan(plan: Plan): Promise<void> {
    for (const t of plan.targets) {
      if (this.state !== 'running') return;
      if (t.plan !== plan || !this.entries.includes(t)) continue;
      const error = await this.startEntry(t);
      if (error !== undefined) {
        t.plan = undefined;
        for (const rest of plan.targets) if (rest.plan === plan) rest.plan = undefined;
        this.emit({ type: 'exited', supervisor: this.name, id: t.id, reason: error });
        return this.failed(t, error);
      }
    }
  }

  private async escalate(e: Entry, reason: ExitReason): Promise<void> {
    const error = new SupervisorError(
      'SUPERVISOR_INTENSITY',
      `supervisor "${this.name}": more than ${this.maxRestarts} restarts within ${this.withinMs} ms; the last, of child "${e.id}", after ${
        isAbnormal(reason) ? `error: ${reason.message}` : `a ${reason} exit`
      }`,
      isAbnormal(reason) ? { cause: reason } : undefined,
    );
    this.emit({ type: 'escalate', supervisor: this.name, reason: error });
    this.state = 'stopping';
    for (const plan of this.plans) plan.timer?.cancel();
    this.plans.clear();
    await this.stopAll();
    this.finish(error);
  }

  /** Stops every running child in reverse start order. */
  private async stopAll(): Promise<void> {
    for (let i = this.entries.length - 1; i >= 0; i--) await this.stopEntry(this.entries[i]!);
  }

  private async stopEntry(e: Entry): Promise<void> {
    const child = e.child;
    e.child = undefined;
    e.plan = undefined;
    e.gen++;
    if (child === undefined) return;
    await stopWithin(child, e.shutdown, this.clock, (reason) => this.emit({ type: 'stopFailed', supervisor: this.name, id: e.id, reason }));
  }

  private forget(e: Entry): void {
    const i = this.entries.indexOf(e);
    if (i >= 0) this.entries.splice(i, 1);
  }

  private finish(reason: ExitReason): void {
    this.state = 'stopped';
    this.exitReason = reason;
    const listeners = this.exitListeners.splice(0);
    if (isAbnormal(reason) && listeners.length === 0) reportUnhandledError(reason);
    for (const listener of listeners) {
      try {
        listener(reason);
      } catch (thrown) {
        reportUnhandledError(thrown);
      }
    }
  }

  private emit(event: SupervisorEvent): void {
    if (this.onEvent === undefined) return;
    try {
      this.onEvent(event);
    } catch (thrown) {
      reportUnhandledError(thrown);
    }
  }

  private notRunning(what: string): SupervisorError {
    return new SupervisorError('SUPERVISOR_NOT_RUNNING', `supervisor "${this.name}": ${what} while ${this.state}`);
  }
}

function newEntry(id: string, start: () => Child | Promise<Child>, restart: RestartType, shutdown: number): Entry {
  return { id, start, restart, shutdown, child: undefined, gen: 0, plan: undefined, exponent: 0, startedAt: 0 };
}

/**
 * Creates an idle supervisor; `start()` starts its children. Validates everything up front.
 * @throws SupervisorError `SUPERVISOR_INVALID_POLICY`, `SUPERVISOR_INVALID_SPEC` or `SUPERVISOR_DUPLICATE_CHILD` for bad options.
 * @example
 * const sup = createSupervisor({ strategy: 'one_for_one', children: [{ id: 'db', start: connectDb }], intensity: { maxRestarts: 3, withinMs: 5000 } });
 * await sup.start();
 */
export function createSupervisor(options: StaticSupervisorOptions): Supervisor;
export function createSupervisor<A>(options: DynamicSupervisorOptions<A>): DynamicSupervisor<A>;
export function createSupervisor<A>(options: StaticSupervisorOptions | DynamicSupervisorOptions<A>): Supervisor | DynamicSupervisor<A> {
  const sup = new TreeSupervisor(options as StaticSupervisorOptions | DynamicSupervisorOptions<unknown>);
  // The class serves both shapes; startChild's return differs only in what it resolves to.
  return sup as unknown as Supervisor | DynamicSupervisor<A>;
}

/**
 * A child spec that runs a fresh supervisor with `options` each time it is started, so trees
 * nest. Defaults: `restart: 'permanent'`, `shutdown: Infinity` (OTP's default for supervisors),
 * `name: id`. The options are validated now.
 * @throws SupervisorError as {@link createSupervisor}.
 */
export function supervisorSpec<A>(
  id: string,
  options: StaticSupervisorOptions | DynamicSupervisorOptions<A>,
  spec: { readonly restart?: RestartType; readonly shutdown?: number } = {},
): ChildSpec {
  const named = { ...options, name: options.name ?? id };
  new TreeSupervisor(named as StaticSupervisorOptions | DynamicSupervisorOptions<unknown>); // validate now
  return {
    id,
    restart: spec.restart ?? 'permanent',
    shutdown: spec.shutdown ?? Infinity,
    start: async () => {
      const sup = new TreeSupervisor(named as StaticSupervisorOptions | DynamicSupervisorOptions<unknown>);
      await sup.start();
      return sup;
    },
  };
}
