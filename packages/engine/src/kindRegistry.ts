/**
 * The actor kinds known to this thread, by name. The user's module runs in every thread (as with
 * Node's `cluster`), so each thread fills its registry with the same classes, and a kind is found
 * in a worker by the name the main thread sends.
 */
import type { ActorKind } from '@concurrengine/actors';

import { EngineError } from './errors.js';

const kinds = new Map<string, ActorKind>();

/** Registers a kind (idempotent for the same class; another class of the same name is an error). */
export function registerKind(kind: ActorKind): void {
  if (typeof kind !== 'function' || !kind.layout || !kind.schema) {
    throw new EngineError('ENGINE_INVALID_ARGUMENT', `${String((kind as { name?: string })?.name ?? kind)} is not an actor kind (a class extending Actor({ … }))`);
  }
  const known = kinds.get(kind.name);
  if (known === kind) return;
  if (known && !sameShape(known, kind)) {
    throw new EngineError('ENGINE_KIND_DUPLICATE', `two different actor kinds are named ${kind.name}; kind names must be unique`);
  }
  // A re-imported module (hot reload) brings a new class of the same shape: the newest wins.
  kinds.set(kind.name, kind);
}

/** The kind registered under `name` in this thread. */
export function kindNamed(name: string): ActorKind | undefined {
  return kinds.get(name);
}

/** Registers every actor kind among a module's exports (so kinds spawned only by handlers are known too). */
export function registerExportedKinds(moduleNamespace: Record<string, unknown>): void {
  for (const value of Object.values(moduleNamespace)) {
    if (typeof value === 'function' && 'layout' in value && 'schema' in value) registerKind(value as ActorKind);
  }
}

function sameShape(a: ActorKind, b: ActorKind): boolean {
  return a.layout.pageBytes === b.layout.pageBytes && JSON.stringify(Object.keys(a.schema)) === JSON.stringify(Object.keys(b.schema));
}
