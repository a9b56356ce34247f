/**
 * Builds a {@link MachineDefinition} from a plain spec: validates it, folds `anyState` into every
 * row, and stores the table as immutable ordered maps (ordered so `allowed()` follows the order the
 * spec was written in).
 */
import { OrderedMap } from 'immutable';

import { LifecycleError } from './errors.js';
import type { MachineDefinition, MachineSpec } from './machine.js';

/**
 * Validates `spec` and returns the frozen definition.
 * @throws LifecycleError code `MACHINE_INVALID`, naming the offending entry (`transitions.a.go`,
 * `anyState.fail`, `initial`, `anyStateExcept[0]`) and the states that exist.
 * @example
 * const door = defineMachine({
 *   initial: 'closed',
 *   transitions: { closed: { open: 'opened', lock: 'locked' }, opened: { close: 'closed' }, locked: { unlock: 'closed' } },
 * });
 */
export function defineMachine<const S extends string, const E extends string>(spec: MachineSpec<S, E>): MachineDefinition<S, E> {
  if (!isRecord(spec)) invalid(`the spec must be an object, got ${describe(spec)}`);
  const transitions: unknown = spec.transitions;
  if (!isRecord(transitions)) invalid(`transitions must be an object of state → { event: target }, got ${describe(transitions)}`);
  const states = Object.keys(transitions) as S[];
  if (states.length === 0) invalid('transitions is empty: a machine needs at least one state');
  const known = new Set<string>(states);
  const stateList = states.join(', ');
  const checkTarget = (where: string, target: unknown): void => {
    if (typeof target !== 'string' || !known.has(target)) {
      invalid(`${where} → ${describe(target)} is not a state (states: ${stateList})`);
    }
  };

  if (!known.has(spec.initial)) invalid(`initial ${describe(spec.initial)} is not a state (states: ${stateList})`);

  const anyState: unknown = spec.anyState ?? {};
  if (!isRecord(anyState)) invalid(`anyState must be an object of event → target, got ${describe(anyState)}`);
  for (const [event, target] of Object.entries(anyState)) checkTarget(`anyState.${event}`, target);
  const anyStateExcept: unknown = spec.anyStateExcept ?? [];
  if (!Array.isArray(anyStateExcept)) invalid(`anyStateExcept must be an array of states, got ${describe(anyStateExcept)}`);
  anyStateExcept.forEach((state: unknown, i) => {
    if (typeof state !== 'string' || !known.has(state)) invalid(`anyStateExcept[${i}] ${describe(state)} is not a state (states: ${stateList})`);
  });
  const excepted = new Set<unknown>(anyStateExcept);

  const events: E[] = [];
  const seen = new Set<string>();
  const noteEvent = (event: string): void => {
    if (!seen.has(event)) {
      seen.add(event);
      events.push(event as E);
    }
  };
  const rows: Array<[S, OrderedMap<E, S>]> = [];
  for (const state of states) {
    const row: unknown = transitions[state];
    if (!isRecord(row)) invalid(`transitions.${state} must be an object of event → target, got ${describe(row)}`);
    const entries: Array<[E, S]> = [];
    for (const [event, target] of Object.entries(row)) {
      checkTarget(`transitions.${state}.${event}`, target);
      entries.push([event as E, target as S]);
      noteEvent(event);
    }
    if (!excepted.has(state)) {
      // The state's own row wins over anyState for the same event (documented in MachineSpec).
      for (const [event, target] of Object.entries(anyState)) {
        if (!Object.hasOwn(row, event)) entries.push([event as E, target as S]);
      }
    }
    rows.push([state, OrderedMap(entries)]);
  }
  for (const event of Object.keys(anyState)) noteEvent(event);

  return Object.freeze({
    initial: spec.initial,
    states: Object.freeze(states),
    events: Object.freeze(events),
    table: OrderedMap(rows),
  });
}

/**
 * Checks a definition that may not come from `defineMachine` (interfaces are structural): the
 * initial state and every target must have a row.
 * @throws LifecycleError code `MACHINE_INVALID`.
 */
export function assertDefinition<S extends string, E extends string>(definition: MachineDefinition<S, E>): void {
  const table = definition.table;
  if (table.size === 0) invalid('the definition has no states');
  if (!table.has(definition.initial)) invalid(`initial ${describe(definition.initial)} has no row in the table`);
  for (const [state, row] of table) {
    for (const [event, target] of row) {
      if (!table.has(target)) invalid(`table.${state}.${event} → ${describe(target)} is not a state`);
    }
  }
}

function invalid(message: string): never {
  throw new LifecycleError('MACHINE_INVALID', `invalid machine: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : Array.isArray(value) ? 'an array' : String(value);
}
