/**
 * Hot reload of handler code. Every engine thread of this JS thread is listed here, so a reload
 * module loaded later (a new module instance, `?reload=N`) can reach them and swap handlers; the
 * actors' columns are untouched, so every actor keeps its state.
 */
import type { ActorKind, Runnable } from '@concurrengine/actors';

import type { EngineThread } from '../engineThread.js';

const THREADS = Symbol.for('concurrengine.engine.threads');

function threads(): Set<EngineThread> {
  const g = globalThis as Record<symbol, unknown>;
  return (g[THREADS] ??= new Set<EngineThread>()) as Set<EngineThread>;
}

export function installReloadHook(thread: EngineThread): void {
  threads().add(thread);
}

export function uninstallReloadHook(thread: EngineThread): void {
  threads().delete(thread);
}

/** Gives every engine thread of this JS thread the handlers of the kinds exported by `namespace`. Returns the kind names swapped. */
export function swapHandlers(namespace: Record<string, unknown>): string[] {
  const swapped = new Set<string>();
  for (const value of Object.values(namespace)) {
    if (typeof value !== 'function' || !('layout' in value) || !('schema' in value)) continue;
    const kind = value as ActorKind & { prototype: Runnable };
    for (const thread of threads()) if (thread.setHandler(kind.name, kind.prototype.handle)) swapped.add(kind.name);
  }
  return [...swapped];
}
