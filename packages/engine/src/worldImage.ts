/**
 * A stored tick, as the engine lays it out in a `SnapshotStore`: the pages of every kind in kind
 * order (kind 0's pages, then kind 1's, …), and a `meta` blob (JSON) that says which pages belong
 * to which kind and everything else a tick holds — counts, free lists, messages in flight, and the
 * inputs recorded since the previous stored tick (the journal, for replay).
 */
import { isSpatialBox } from '@concurrengine/spatial';
import type { SpatialBounds } from './spatial.js';
import type { KindSeal } from '@concurrengine/actors';

import { checkMetaFields } from './checkMeta.js';
import { EngineError } from './errors.js';
import type { JournalEntry } from './journal.js';
import { checkStoredSpatial, type StoredSpatial } from './storedSpatial.js';
import type { StoredSupervision, SupervisionOptions } from './supervision.js';
import type { Controls } from './rollback.js';
import type { MailboxSeal } from './messagePlane.js';
import type { World } from './world.js';

/** Bumped when the meta's shape changes; a newer one is refused by name. */
export const IMAGE_FORMAT = 1;

export interface StoredKind {
  readonly name: string;
  readonly layoutVersion: number;
  readonly pageSize: number;
  readonly pageBytes: number;
  readonly pages: number;
  readonly highWater: number;
  readonly live: number;
  readonly freeSlots: readonly number[];
  /** Handles issued, the free ones and the generation each one's next actor gets (layout v2 on). */
  readonly handles: { readonly count: number; readonly free: readonly number[]; readonly generations: readonly number[] };
}

type StoredEntry =
  | { readonly tick: number; readonly kind: 'send'; readonly lanes: string }
  | { readonly tick: number; readonly kind: 'spawn'; readonly kindId: number; readonly lanes: string }
  | { readonly tick: number; readonly kind: 'despawn'; readonly ref: number }
  | { readonly tick: number; readonly kind: 'drill'; readonly handlerThrowRate: number; readonly workerExitRate: number };

export interface StoredMeta {
  readonly format: number;
  readonly tick: number;
  readonly seed: number;
  /** The tick rate the world ran at (`ctx.delta()` is 1 / it); absent in metas written before it was recorded. */
  readonly tickRateHz?: number;
  /** The program that made the world (for `concurrengine replay`), when a host ran it. */
  readonly program?: string;
  readonly kinds: readonly StoredKind[];
  readonly pending: { readonly count: number; readonly depth: readonly number[]; readonly lanes: string };
  /** Inputs of the ticks from the previous stored tick up to (not including) this one. */
  readonly journal: readonly StoredEntry[];
  /** Supervision's restart state, when actors are supervised (so a replay decides restarts as the run did). */
  readonly supervision?: StoredSupervision;
  /** Control state at this tick (a fault drill's rates). */
  readonly controls?: Controls;
  /** The engine's supervision settings (policy, isolation…), so a replay supervises as the run did. */
  readonly supervisionOptions?: SupervisionOptions;
  /** The spatial index's world box (the octree's sort keys on it), so a replay sorts as the run did. */
  readonly spatialBounds?: SpatialBounds;
  /** The spatial index the engine ran and its settings, so a replay rebuilds that one whatever the program says now; absent in metas written before it was recorded. */
  readonly spatialOptions?: StoredSpatial;
}

const f64ToBase64 = (lanes: Float64Array) => Buffer.from(lanes.buffer, lanes.byteOffset, lanes.byteLength).toString('base64');
function base64ToF64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  const lanes = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(lanes.buffer).set(bytes);
  return lanes;
}

export function encodeMeta(
  world: World,
  seals: readonly KindSeal[],
  tick: number,
  seed: number,
  pending: MailboxSeal,
  journal: readonly JournalEntry[],
  program: string | undefined,
  tickRateHz?: number,
  supervision?: StoredSupervision,
  controls?: Controls,
  supervisionOptions?: SupervisionOptions,
  spatialBounds?: SpatialBounds,
  spatialOptions?: StoredSpatial,
): Uint8Array {
  const meta: StoredMeta = {
    format: IMAGE_FORMAT,
    ...(spatialBounds ? { spatialBounds } : {}),
    ...(spatialOptions ? { spatialOptions } : {}),
    ...(supervisionOptions ? { supervisionOptions } : {}),
    ...(supervision ? { supervision } : {}),
    ...(controls ? { controls } : {}),
    tick,
    seed,
    ...(tickRateHz !== undefined ? { tickRateHz } : {}),
    ...(program ? { program } : {}),
    kinds: seals.map((seal, kindId) => {
      const store = world.stores[kindId]!;
      const layout = store.layout;
      return {
        name: world.kinds[kindId]!.name,
        layoutVersion: layout.version,
        pageSize: layout.pageSize,
        pageBytes: layout.pageBytes,
        pages: seal.frames.length,
        highWater: seal.highWater,
        live: seal.live,
        freeSlots: seal.freeSlots,
        handles: store.sealedHandles(seal),
      };
    }),
    pending: { count: pending.count, depth: pending.depth, lanes: f64ToBase64(pending.lanes) },
    journal: journal.map((e) =>
      e.kind === 'despawn' || e.kind === 'drill' ? e : e.kind === 'send' ? { tick: e.tick, kind: e.kind, lanes: f64ToBase64(e.lanes) } : { tick: e.tick, kind: e.kind, kindId: e.kindId, lanes: f64ToBase64(e.lanes) },
    ),
  };
  return new TextEncoder().encode(JSON.stringify(meta));
}

/** Reads a meta blob; `where` names the store and tick in errors. */
export function decodeMeta(bytes: Uint8Array, where: string): StoredMeta {
  let meta: StoredMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes)) as StoredMeta;
  } catch (error) {
    throw new EngineError('ENGINE_SNAPSHOT_INVALID', `${where}: the tick's meta is not the engine's JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof meta !== 'object' || meta === null || typeof meta.format !== 'number' || !Array.isArray(meta.kinds) || !Array.isArray(meta.journal) || typeof meta.pending !== 'object') {
    throw new EngineError('ENGINE_SNAPSHOT_INVALID', `${where}: the tick's meta lacks format, kinds, pending or journal`);
  }
  if (meta.format > IMAGE_FORMAT) {
    throw new EngineError('ENGINE_SNAPSHOT_INVALID', `${where}: stored by a newer engine (image format ${meta.format}; this engine reads up to ${IMAGE_FORMAT})`);
  }
  const box = meta.spatialBounds;
  if (box !== undefined && !isSpatialBox(box)) {
    throw new EngineError('ENGINE_SNAPSHOT_INVALID', `${where}: the meta's spatialBounds is not a box { min: [x, y, z], max: [x, y, z] } with min < max: ${JSON.stringify(box)}`);
  }
  if (meta.spatialOptions !== undefined) checkStoredSpatial(meta.spatialOptions, where);
  checkMetaFields(meta as unknown as Record<string, unknown>, where);
  return meta;
}

export function journalOf(meta: StoredMeta): JournalEntry[] {
  return meta.journal.map((e) =>
    e.kind === 'despawn' || e.kind === 'drill' ? e : e.kind === 'send' ? { tick: e.tick, kind: e.kind, lanes: base64ToF64(e.lanes) } : { tick: e.tick, kind: e.kind, kindId: e.kindId, lanes: base64ToF64(e.lanes) },
  );
}

export function pendingOf(meta: StoredMeta): MailboxSeal {
  return { count: meta.pending.count, depth: meta.pending.depth, lanes: base64ToF64(meta.pending.lanes) };
}

/**
 * Puts a stored tick's pages into the world's stores. Every kind is checked against this
 * engine's kinds (name, layout) before anything changes: `ENGINE_SNAPSHOT_INCOMPATIBLE`.
 */
export function loadWorld(world: World, meta: StoredMeta, pages: readonly Uint8Array[], where: string): void {
  if (meta.kinds.length !== world.kinds.length) {
    throw new EngineError('ENGINE_SNAPSHOT_INCOMPATIBLE', `${where}: the stored world has kinds [${meta.kinds.map((k) => k.name).join(', ')}]; this engine has [${world.kinds.map((k) => k.name).join(', ')}]`);
  }
  let total = 0;
  meta.kinds.forEach((stored, kindId) => {
    const layout = world.stores[kindId]!.layout;
    if (stored.name !== world.kinds[kindId]!.name || stored.layoutVersion !== layout.version || stored.pageSize !== layout.pageSize || stored.pageBytes !== layout.pageBytes) {
      throw new EngineError(
        'ENGINE_SNAPSHOT_INCOMPATIBLE',
        `${where}: kind ${kindId} is stored as ${stored.name} (layout v${stored.layoutVersion}, ${stored.pageSize} actors, ${stored.pageBytes} bytes a page); this engine's is ${world.kinds[kindId]!.name} (v${layout.version}, ${layout.pageSize}, ${layout.pageBytes})`,
      );
    }
    total += stored.pages;
  });
  if (total !== pages.length) throw new EngineError('ENGINE_SNAPSHOT_INVALID', `${where}: the meta lists ${total} pages; the tick holds ${pages.length}`);
  // Every page the size its kind's layout says, before any kind is loaded (no half-loaded world).
  let first = 0;
  meta.kinds.forEach((stored) => {
    const wrong = pages.slice(first, first + stored.pages).findIndex((p) => p.byteLength !== stored.pageBytes);
    if (wrong >= 0) throw new EngineError('ENGINE_SNAPSHOT_INVALID', `${where}: page ${first + wrong} (kind ${stored.name}) has ${pages[first + wrong]!.byteLength} bytes; its layout's pages have ${stored.pageBytes}`);
    first += stored.pages;
  });
  let at = 0;
  meta.kinds.forEach((stored, kindId) => {
    world.stores[kindId]!.load({ pages: pages.slice(at, at + stored.pages), highWater: stored.highWater, live: stored.live, freeSlots: stored.freeSlots, handles: stored.handles });
    at += stored.pages;
  });
}
