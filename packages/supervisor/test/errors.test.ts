/** Bad input is a typed error at construction (trees) or at the call (API misuse). */
import { describe, expect, it } from 'vitest';

import { createSupervisor, isSupervisorError, supervisorSpec, type ChildSpec, type StaticSupervisorOptions } from '../src/index.js';
import { createHarness } from './helpers.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isSupervisorError(e) ? e.code : `not a SupervisorError: ${String(e)}`;
  }
  return undefined;
}

async function rejection(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (isSupervisorError(e) ? e.code : String(e)),
  );
}

describe('tree construction errors', () => {
  const h = createHarness();
  const ok: StaticSupervisorOptions = { strategy: 'one_for_one', children: [h.spec('a')] };
  it.each<[string, () => unknown, string]>([
    ['unknown strategy', () => createSupervisor({ ...ok, strategy: 'all_for_one' as never }), 'SUPERVISOR_INVALID_POLICY'],
    ['negative maxRestarts', () => createSupervisor({ ...ok, intensity: { maxRestarts: -1, withinMs: 5 } }), 'SUPERVISOR_INVALID_POLICY'],
    ['zero withinMs', () => createSupervisor({ ...ok, intensity: { maxRestarts: 1, withinMs: 0 } }), 'SUPERVISOR_INVALID_POLICY'],
    ['bad backoff', () => createSupervisor({ ...ok, backoff: { kind: 'exponential', min: 5, max: 1, jitter: 0, resetAfter: 0 } }), 'SUPERVISOR_INVALID_POLICY'],
    ['children not an array', () => createSupervisor({ ...ok, children: undefined as never }), 'SUPERVISOR_INVALID_SPEC'],
    ['child without id', () => createSupervisor({ ...ok, children: [{ start: h.spec('x').start } as ChildSpec] }), 'SUPERVISOR_INVALID_SPEC'],
    ['child without start', () => createSupervisor({ ...ok, children: [{ id: 'x' } as ChildSpec] }), 'SUPERVISOR_INVALID_SPEC'],
    ['bad restart type', () => createSupervisor({ ...ok, children: [{ ...h.spec('x'), restart: 'always' as never }] }), 'SUPERVISOR_INVALID_SPEC'],
    ['negative shutdown', () => createSupervisor({ ...ok, children: [{ ...h.spec('x'), shutdown: -1 }] }), 'SUPERVISOR_INVALID_SPEC'],
    ['duplicate ids', () => createSupervisor({ ...ok, children: [h.spec('x'), h.spec('x')] }), 'SUPERVISOR_DUPLICATE_CHILD'],
    ['bad template', () => createSupervisor({ strategy: 'simple_one_for_one', child: { start: 3 as never } }), 'SUPERVISOR_INVALID_SPEC'],
    ['supervisorSpec validates now', () => supervisorSpec('s', { ...ok, strategy: 'nope' as never }), 'SUPERVISOR_INVALID_POLICY'],
  ])('%s', (_name, fn, code) => {
    expect(codeOf(fn)).toBe(code);
  });
});

describe('tree call errors', () => {
  it('startChild, terminateChild and start report misuse', async () => {
    const h = createHarness();
    const sup = createSupervisor({ strategy: 'one_for_one', children: [h.spec('a')] });
    expect(await rejection(sup.startChild(h.spec('b')))).toBe('SUPERVISOR_NOT_RUNNING');
    await sup.start();
    expect(await rejection(sup.start())).toBe('SUPERVISOR_NOT_RUNNING');
    expect(await rejection(sup.startChild(h.spec('a')))).toBe('SUPERVISOR_DUPLICATE_CHILD');
    expect(await rejection(sup.startChild({ id: '' } as ChildSpec))).toBe('SUPERVISOR_INVALID_SPEC');
    expect(await rejection(sup.startChild(h.spec('f', 'permanent', { failStart: () => true })))).toBe('SUPERVISOR_START_FAILED');
    expect(sup.whichChildren().map((c) => c.id)).toEqual(['a']);
    expect(await rejection(sup.terminateChild('zz'))).toBe('SUPERVISOR_UNKNOWN_CHILD');
    expect(await rejection(sup.startChild({ id: 'bad', start: () => ({}) as never }))).toBe('SUPERVISOR_START_FAILED');
    await sup.stop();
    expect(await rejection(sup.startChild(h.spec('late')))).toBe('SUPERVISOR_NOT_RUNNING');
  });

  it('a dynamic start that fails leaves no child behind', async () => {
    const sup = createSupervisor<number>({
      strategy: 'simple_one_for_one',
      child: {
        start: (n) => {
          throw new Error(`no ${n}`);
        },
      },
    });
    await sup.start();
    expect(await rejection(sup.startChild(1))).toBe('SUPERVISOR_START_FAILED');
    expect(sup.whichChildren()).toEqual([]);
    await sup.stop();
  });
});
