/**
 * Model-based tests (fast-check commands) of every strategy, restart type and the intensity rule:
 * after each command the supervisor's starts and stops (in order), its children and whether it
 * gave up must equal the reference model's. The fast-check seed is printed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createSupervisor, isSupervisorError, type DynamicSupervisor, type ExitReason, type RestartType, type Supervisor } from '../src/index.js';
import { createManualClock, type ManualClock } from '../src/testing.js';
import { createHarness, exitOf, settle, type Harness } from './helpers.js';
import { OtpModel, type ExitKind } from './otpModel.js';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`fast-check seed ${SEED} (set FC_SEED to replay)`);

interface Real {
  readonly sup: Supervisor | DynamicSupervisor<string>;
  readonly h: Harness;
  readonly clock: ManualClock;
  readonly exit: { reason: ExitReason | undefined };
  nextStatic: number;
}

type Cmd = fc.AsyncCommand<OtpModel, Real>;

function compare(m: OtpModel, r: Real): void {
  expect(r.h.log).toEqual(m.log);
  expect(r.sup.whichChildren().map((c) => ({ id: c.id, restart: c.restart, running: c.status === 'running' }))).toEqual(
    m.children.map((c) => ({ id: c.id, restart: c.restart, running: c.running })),
  );
  expect(r.sup.state).toBe(m.down ? 'stopped' : 'running');
  if (m.down) expect(isSupervisorError(r.exit.reason, 'SUPERVISOR_INTENSITY')).toBe(true);
  else expect(r.exit.reason).toBeUndefined();
}

function step(m: OtpModel, r: Real): void {
  m.log = [];
  r.h.log.length = 0;
}

class ExitCmd implements Cmd {
  constructor(
    readonly pick: number,
    readonly kind: ExitKind,
  ) {}
  check = (m: Readonly<OtpModel>) => !m.down && m.running().length > 0;
  async run(m: OtpModel, r: Real): Promise<void> {
    step(m, r);
    const running = m.running();
    const id = running[this.pick % running.length]!.id;
    const child = r.h.children.get(id)!;
    if (this.kind === 'error') child.crash(new Error(`boom ${id}`));
    else child.exit(this.kind);
    m.exit(id, this.kind);
    await settle();
    compare(m, r);
  }
  toString = () => `exit(${this.pick}, ${this.kind})`;
}

class AdvanceCmd implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: OtpModel, r: Real): Promise<void> {
    m.now += this.ms;
    r.clock.advance(this.ms);
    await settle();
  }
  toString = () => `advance(${this.ms})`;
}

class StartChildCmd implements Cmd {
  constructor(readonly restart: RestartType) {}
  check = (m: Readonly<OtpModel>) => !m.down && m.children.length < 8;
  async run(m: OtpModel, r: Real): Promise<void> {
    step(m, r);
    if (m.dynamic) {
      const expected = `${++m.dynamicIds}`;
      m.add(expected, (r.sup.whichChildren()[0]?.restart ?? templateRestart.get(r)) as RestartType);
      const id = await (r.sup as DynamicSupervisor<string>).startChild(expected);
      expect(id).toBe(expected);
    } else {
      const id = `n${r.nextStatic++}`;
      m.add(id, this.restart);
      await (r.sup as Supervisor).startChild(r.h.spec(id, this.restart));
    }
    await settle();
    compare(m, r);
  }
  toString = () => `startChild(${this.restart})`;
}

class TerminateCmd implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<OtpModel>) => !m.down && m.children.length > 0;
  async run(m: OtpModel, r: Real): Promise<void> {
    step(m, r);
    const id = m.children[this.pick % m.children.length]!.id;
    m.terminate(id);
    await r.sup.terminateChild(id);
    await settle();
    compare(m, r);
  }
  toString = () => `terminateChild(${this.pick})`;
}

class ShutdownCmd implements Cmd {
  check = (m: Readonly<OtpModel>) => !m.down;
  async run(m: OtpModel, r: Real): Promise<void> {
    step(m, r);
    m.shutdown();
    await r.sup.stop();
    expect(r.h.log).toEqual(m.log);
    expect(r.sup.state).toBe('stopped');
    expect(r.exit.reason).toBe('shutdown');
  }
  toString = () => 'stop()';
}

const templateRestart = new WeakMap<Real, RestartType>();
const restartArb = fc.constantFrom<RestartType>('permanent', 'transient', 'temporary');
const commands = fc.commands(
  [
    fc.tuple(fc.nat(), fc.constantFrom<ExitKind>('error', 'error', 'normal', 'shutdown')).map(([p, k]) => new ExitCmd(p, k)),
    fc.integer({ min: 0, max: 60 }).map((ms) => new AdvanceCmd(ms)),
    restartArb.map((rt) => new StartChildCmd(rt)),
    fc.nat().map((p) => new TerminateCmd(p)),
    fc.constant(new ShutdownCmd()),
  ],
  { maxCommands: 40 },
);
const intensityArb = fc.record({ maxRestarts: fc.integer({ min: 0, max: 4 }), withinMs: fc.integer({ min: 1, max: 100 }) });

describe('supervision tree against the OTP model', () => {
  it.each(['one_for_one', 'one_for_all', 'rest_for_one'] as const)('%s: starts, stops, restarts and intensity', async (strategy) => {
    await fc.assert(
      fc.asyncProperty(fc.array(restartArb, { minLength: 1, maxLength: 5 }), intensityArb, commands, async (restarts, intensity, cmds) => {
        const h = createHarness();
        const clock = createManualClock();
        const specs = restarts.map((rt, i) => h.spec(`c${i}`, rt));
        const sup = createSupervisor({ strategy, children: specs, intensity, clock });
        const real: Real = { sup, h, clock, exit: exitOf(sup), nextStatic: 0 };
        const model = new OtpModel(strategy, intensity.maxRestarts, intensity.withinMs);
        for (const [i, rt] of restarts.entries()) model.add(`c${i}`, rt);
        await sup.start();
        compare(model, real);
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('simple_one_for_one: dynamic children of one template', async () => {
    await fc.assert(
      fc.asyncProperty(restartArb, intensityArb, commands, async (restart, intensity, cmds) => {
        const h = createHarness();
        const clock = createManualClock();
        const sup = createSupervisor<string>({ strategy: 'simple_one_for_one', child: { start: (id) => h.startAs(id), restart }, intensity, clock });
        const real: Real = { sup, h, clock, exit: exitOf(sup), nextStatic: 0 };
        templateRestart.set(real, restart);
        const model = new OtpModel('simple_one_for_one', intensity.maxRestarts, intensity.withinMs);
        await sup.start();
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
