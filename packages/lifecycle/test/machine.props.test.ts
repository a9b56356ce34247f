/**
 * Model-based tests (fc.commands) of the automaton against a plain-object transition table: for
 * random definitions and for ENGINE_LIFECYCLE, random sends (allowed or not), subscribes and
 * unsubscribes agree with the model on state, can, allowed, errors, history and what every
 * listener saw. The fast-check seed is printed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  createMachine,
  defineMachine,
  ENGINE_LIFECYCLE,
  TransitionNotAllowedError,
  type Machine,
  type MachineSpec,
  type Transition,
} from '../src/index.js';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`fast-check seed ${SEED} (set FC_SEED to replay)`);

type Row = Readonly<Record<string, string>>;

/** The model: a plain table, fully spelled out (anyState already applied by the test, not the code). */
interface TableModel {
  readonly initial: string;
  readonly rows: Readonly<Record<string, Row>>;
}

function next(table: TableModel, state: string, event: string): string | undefined {
  return Object.hasOwn(table.rows[state]!, event) ? table.rows[state]![event] : undefined;
}

/** Expands a spec by hand: the state's own row first, then anyState where the state is not excepted. */
function expand(spec: MachineSpec<string, string>): TableModel {
  const rows: Record<string, Row> = {};
  for (const [state, row] of Object.entries(spec.transitions)) {
    const expanded: Record<string, string> = { ...(row as Row) };
    if (!(spec.anyStateExcept ?? []).includes(state)) {
      for (const [event, target] of Object.entries(spec.anyState ?? {})) if (!(event in expanded)) expanded[event] = target as string;
    }
    rows[state] = expanded;
  }
  return { initial: spec.initial, rows };
}

// ENGINE_LIFECYCLE written out in full from the brief, independently of engineLifecycle.ts.
const F = { fail: 'failed' };
const ENGINE_TABLE: TableModel = {
  initial: 'created',
  rows: {
    created: { start: 'starting', stop: 'stopping', ...F },
    starting: { started: 'running', startedPaused: 'paused', ...F },
    running: { pause: 'paused', rewind: 'rewinding', stop: 'stopping', ...F },
    paused: { resume: 'running', step: 'stepping', rewind: 'rewinding', stop: 'stopping', ...F },
    stepping: { stepped: 'paused', ...F },
    rewinding: { rewound: 'paused', ...F },
    stopping: { stopped: 'stopped', ...F },
    stopped: {},
    failed: { recover: 'recovering', stop: 'stopping' },
    recovering: { recovered: 'paused', ...F },
  },
};
const ENGINE_EVENTS = [...new Set(Object.values(ENGINE_TABLE.rows).flatMap((r) => Object.keys(r)))];

interface Model {
  readonly table: TableModel;
  readonly historyLimit: number;
  state: string;
  readonly taken: Transition<string, string>[];
  /** listener id → index into `taken` it started at, and where it stopped (unsubscribed). */
  readonly listeners: Map<number, { from: number; until: number | undefined }>;
  nextId: number;
}
interface Real {
  readonly machine: Machine<string, string>;
  readonly seen: Map<number, Transition<string, string>[]>;
  readonly unsubscribe: Map<number, () => void>;
}

function checkAgreement(m: Model, r: Real): void {
  expect(r.machine.state).toBe(m.state);
  expect(r.machine.allowed()).toEqual(Object.keys(m.table.rows[m.state]!));
  for (const [id, { from, until }] of m.listeners) expect(r.seen.get(id)).toEqual(m.taken.slice(from, until));
}

class Send implements fc.Command<Model, Real> {
  constructor(readonly event: string) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const target = next(m.table, m.state, this.event);
    expect(r.machine.can(this.event)).toBe(target !== undefined);
    if (target === undefined) {
      let thrown: unknown;
      try {
        r.machine.send(this.event);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TransitionNotAllowedError);
      const error = thrown as TransitionNotAllowedError;
      expect(error.code).toBe('TRANSITION_NOT_ALLOWED');
      expect([error.state, error.event, error.allowed]).toEqual([m.state, this.event, Object.keys(m.table.rows[m.state]!)]);
      expect(error.message).toContain(`'${this.event}'`);
      expect(error.message).toContain(`'${m.state}'`);
      for (const allowed of error.allowed) expect(error.message).toContain(allowed);
    } else {
      expect(r.machine.send(this.event)).toBe(target);
      m.taken.push({ seq: m.taken.length + 1, from: m.state, event: this.event, to: target });
      m.state = target;
    }
    checkAgreement(m, r);
  }
  toString = (): string => `send(${this.event})`;
}

/** Reading history folds pending transitions in; reading it only now and then exercises batches. */
class CheckHistory implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    expect(r.machine.history.toArray()).toEqual(m.historyLimit === 0 ? [] : m.taken.slice(-m.historyLimit));
  }
  toString = (): string => 'history';
}

class Subscribe implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const id = m.nextId++;
    m.listeners.set(id, { from: m.taken.length, until: undefined });
    const seen: Transition<string, string>[] = [];
    r.seen.set(id, seen);
    r.unsubscribe.set(id, r.machine.subscribe((t) => seen.push(t)));
    checkAgreement(m, r);
  }
  toString = (): string => 'subscribe';
}

class Unsubscribe implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>): boolean => m.listeners.size > 0;
  run(m: Model, r: Real): void {
    const ids = [...m.listeners.keys()];
    const id = ids[this.pick % ids.length]!;
    const listener = m.listeners.get(id)!;
    listener.until ??= m.taken.length;
    r.unsubscribe.get(id)!(); // a second call is a no-op
    checkAgreement(m, r);
  }
  toString = (): string => `unsubscribe(${this.pick})`;
}

function commandsFor(events: readonly string[]) {
  return fc.commands(
    [
      fc.constantFrom(...events).map((e) => new Send(e)),
      fc.constant(new Subscribe()),
      fc.constant(new CheckHistory()),
      fc.nat(10).map((i) => new Unsubscribe(i)),
    ],
    { maxCommands: 80, size: 'large' },
  );
}

function runModel(table: TableModel, machine: Machine<string, string>, historyLimit: number, cmds: Iterable<fc.Command<Model, Real>>): void {
  const setup = () => ({
    model: { table, historyLimit, state: table.initial, taken: [], listeners: new Map(), nextId: 0 } satisfies Model as Model,
    real: { machine, seen: new Map(), unsubscribe: new Map() } satisfies Real as Real,
  });
  fc.modelRun(setup, cmds);
}

const EVENT_POOL = ['a', 'b', 'c', 'd', 'ghost'];
const specArb: fc.Arbitrary<MachineSpec<string, string>> = fc.integer({ min: 1, max: 5 }).chain((n) => {
  const states = Array.from({ length: n }, (_, i) => `s${i}`);
  const target = fc.constantFrom(...states);
  // 'ghost' never appears in a definition: sending it must be refused in every state.
  const row = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), target, { maxKeys: 4 });
  return fc.record({
    initial: target,
    transitions: fc.tuple(...states.map(() => row)).map((rows) => Object.fromEntries(states.map((s, i) => [s, rows[i]!]))),
    anyState: fc.option(fc.dictionary(fc.constantFrom('c', 'd'), target, { maxKeys: 2 }), { nil: undefined }),
    anyStateExcept: fc.subarray(states),
  });
});
const historyLimitArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 }), fc.constant(1024));

describe('automaton against a plain transition table', () => {
  it('random definitions', () => {
    fc.assert(
      fc.property(specArb, historyLimitArb, commandsFor(EVENT_POOL), (spec, historyLimit, cmds) => {
        const machine = createMachine(defineMachine(spec), { historyLimit });
        runModel(expand(spec), machine, historyLimit, cmds);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('ENGINE_LIFECYCLE', () => {
    fc.assert(
      fc.property(historyLimitArb, commandsFor([...ENGINE_EVENTS, 'ghost']), (historyLimit, cmds) => {
        const machine = createMachine<string, string>(ENGINE_LIFECYCLE, { historyLimit });
        runModel(ENGINE_TABLE, machine, historyLimit, cmds);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
