/**
 * The default {@link Machine}: the definition's immutable table compiled once into linked rows
 * (each state's row points at its targets' rows), so `send` is one `Map` lookup, one frozen
 * transition record and one array push. Transitions reach the persistent `history` list in
 * batches — when it is read, or when a batch reaches `historyLimit` — because a persistent
 * push + shift per send cost ~250 ns, most of a send (bench/transitions.bench.ts).
 */
import { List } from 'immutable';

import { assertDefinition } from './defineMachine.js';
import { LifecycleError, reportUnhandledError, TransitionNotAllowedError } from './errors.js';
import {
  DEFAULT_HISTORY_LIMIT,
  type Machine,
  type MachineDefinition,
  type MachineOptions,
  type Transition,
  type TransitionListener,
} from './machine.js';

/** One state's compiled row. Built once per machine; never mutated after `compile`. */
interface Row<S extends string, E extends string> {
  readonly state: S;
  readonly next: Map<E, Row<S, E>>;
  readonly allowed: readonly E[];
}

/** A subscription; `active` goes false on unsubscribe so a delivery in progress skips it. */
interface Subscriber<S extends string, E extends string> {
  readonly listener: TransitionListener<S, E>;
  active: boolean;
}

/**
 * Starts a machine in the definition's initial state.
 * @throws LifecycleError code `MACHINE_INVALID` for a definition whose table is inconsistent,
 * `OPTION_INVALID` for a `historyLimit` that is not an integer ≥ 0.
 * @example
 * const door = createMachine(doorDefinition);
 * door.subscribe((t) => log(`${t.from} -${t.event}→ ${t.to}`));
 * door.send('open'); // 'opened'
 */
export function createMachine<S extends string, E extends string>(
  definition: MachineDefinition<S, E>,
  options: MachineOptions<S, E> = {},
): Machine<S, E> {
  assertDefinition(definition);
  const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isSafeInteger(historyLimit) || historyLimit < 0) {
    throw new LifecycleError('OPTION_INVALID', `historyLimit must be an integer ≥ 0, got ${String(historyLimit)}`);
  }
  return new AutomatonMachine(definition, compile(definition), historyLimit, options.onListenerError);
}

function compile<S extends string, E extends string>(definition: MachineDefinition<S, E>): Row<S, E> {
  const rows = new Map<S, Row<S, E>>();
  for (const [state, targets] of definition.table) {
    rows.set(state, { state, next: new Map(), allowed: Object.freeze([...targets.keys()]) });
  }
  for (const [state, targets] of definition.table) {
    const row = rows.get(state)!;
    for (const [event, target] of targets) row.next.set(event, rows.get(target)!);
  }
  return rows.get(definition.initial)!;
}

class AutomatonMachine<S extends string, E extends string> implements Machine<S, E> {
  #row: Row<S, E>;
  #seq = 0;
  #history = List<Transition<S, E>>();
  /** Transitions not yet folded into `#history`, oldest first; never longer than `historyLimit`. */
  readonly #unfolded: Transition<S, E>[] = [];
  // Copy-on-write: subscribe/unsubscribe replace the array, so a delivery loop iterates a stable one.
  #subscribers: readonly Subscriber<S, E>[] = [];
  // Transitions taken while listeners are being called (a listener that sends) wait here, so every
  // listener sees every transition in seq order instead of a nested, reordered delivery.
  readonly #pending: Transition<S, E>[] = [];
  #delivering = false;

  constructor(
    readonly definition: MachineDefinition<S, E>,
    initial: Row<S, E>,
    private readonly historyLimit: number,
    private readonly onListenerError: ((error: unknown, transition: Transition<S, E>) => void) | undefined,
  ) {
    this.#row = initial;
  }

  get state(): S {
    return this.#row.state;
  }

  get history(): List<Transition<S, E>> {
    if (this.#unfolded.length > 0) this.#foldHistory();
    return this.#history;
  }

  send(event: E): S {
    const from = this.#row;
    const to = from.next.get(event);
    if (to === undefined) throw new TransitionNotAllowedError(from.state, event, from.allowed);
    this.#row = to;
    const transition: Transition<S, E> = Object.freeze({ seq: ++this.#seq, from: from.state, event, to: to.state });
    if (this.historyLimit > 0 && this.#unfolded.push(transition) >= this.historyLimit) this.#foldHistory();
    if (this.#subscribers.length > 0) this.#deliver(transition);
    return to.state;
  }

  can(event: E): boolean {
    return this.#row.next.has(event);
  }

  allowed(): readonly E[] {
    return this.#row.allowed;
  }

  subscribe(listener: TransitionListener<S, E>): () => void {
    const subscriber: Subscriber<S, E> = { listener, active: true };
    this.#subscribers = [...this.#subscribers, subscriber];
    return () => {
      if (!subscriber.active) return;
      subscriber.active = false;
      this.#subscribers = this.#subscribers.filter((s) => s !== subscriber);
    };
  }

  #foldHistory(): void {
    const unfolded = this.#unfolded;
    let history = this.#history.withMutations((list) => {
      for (const transition of unfolded) list.push(transition);
    });
    if (history.size > this.historyLimit) history = history.slice(history.size - this.historyLimit);
    this.#history = history;
    unfolded.length = 0;
  }

  #deliver(transition: Transition<S, E>): void {
    this.#pending.push(transition);
    if (this.#delivering) return; // the outer delivery loop below picks it up, in order
    this.#delivering = true;
    try {
      for (let i = 0; i < this.#pending.length; i++) {
        const current = this.#pending[i]!;
        for (const subscriber of this.#subscribers) {
          if (!subscriber.active) continue;
          try {
            subscriber.listener(current);
          } catch (error) {
            this.#reportListenerError(error, current);
          }
        }
      }
    } finally {
      this.#pending.length = 0;
      this.#delivering = false;
    }
  }

  #reportListenerError(error: unknown, transition: Transition<S, E>): void {
    if (this.onListenerError === undefined) {
      reportUnhandledError(error);
      return;
    }
    try {
      this.onListenerError(error, transition);
    } catch (handlerError) {
      // The handler itself failed: do not let it cut delivery short for the other listeners.
      reportUnhandledError(new AggregateError([error, handlerError], 'onListenerError threw while handling a listener error'));
    }
  }
}
