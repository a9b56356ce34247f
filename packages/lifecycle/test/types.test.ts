/** Type-level checks of the public generics (checked by `typecheck`; the runtime part is trivial). */
import { describe, expectTypeOf, it } from 'vitest';

import {
  createEngineLifecycle,
  createMachine,
  defineMachine,
  ENGINE_LIFECYCLE,
  type EngineEvent,
  type EngineState,
  type MachineDefinition,
  type Transition,
} from '../src/index.js';

describe('types', () => {
  it('infers states and events from the spec', () => {
    const download = defineMachine({
      initial: 'idle',
      transitions: { idle: { begin: 'fetching' }, fetching: { done: 'complete', lose: 'idle' }, complete: {} },
      anyState: { cancel: 'idle' },
      anyStateExcept: ['complete'],
    });
    expectTypeOf(download).toEqualTypeOf<MachineDefinition<'idle' | 'fetching' | 'complete', 'begin' | 'done' | 'lose' | 'cancel'>>();
    const m = createMachine(download);
    expectTypeOf(m.send('begin')).toEqualTypeOf<'idle' | 'fetching' | 'complete'>();
    // @ts-expect-error — not an event of this machine
    expectTypeOf(m.can('pause')).toBeBoolean();
    // Never called: only the type error matters.
    const misspelt = () =>
      // @ts-expect-error — 'fetchin' is not a state
      defineMachine({ initial: 'idle', transitions: { idle: { begin: 'fetchin' }, fetching: {} } });
    expectTypeOf(misspelt).toBeFunction();
  });

  it('the engine lifecycle uses the exported unions', () => {
    expectTypeOf(ENGINE_LIFECYCLE).toEqualTypeOf<MachineDefinition<EngineState, EngineEvent>>();
    expectTypeOf(createEngineLifecycle().history.first()).toEqualTypeOf<Transition<EngineState, EngineEvent> | undefined>();
  });
});
