/**
 * Moving a kind's actors to new slots (`KindStore.reorder`): a gather from the pages as they are
 * into fresh frames, actor by actor in the new order, every column of an actor copied together.
 */
import { ActorError } from './errors.js';
import { ELEMENT_BYTES } from './fields.js';
import type { PageLayout } from './layout.js';

/** Where a page's bytes are (a `Page` fits). */
interface PagePlace {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
}

type Words = Int32Array | Uint16Array | Uint8Array;

/**
 * Throws `ACTOR_ORDER_INVALID` unless `order` lists every live slot of [0, highWater) exactly
 * once; `alive[slot]` (0: dead) says which are.
 */
export function checkOrder(order: Int32Array, highWater: number, live: number, alive: Uint8Array, owner: string): void {
  if (order.length !== live) throw new ActorError('ACTOR_ORDER_INVALID', `${owner}: reorder got ${order.length} slots for ${live} live actors`);
  const seen = new Uint8Array(highWater);
  for (let i = 0; i < order.length; i++) {
    const slot = order[i]!;
    if (!(slot >= 0 && slot < highWater) || seen[slot] === 1 || alive[slot] === 0) {
      const why = !(slot >= 0 && slot < highWater) ? `is not a slot below ${highWater}` : seen[slot] === 1 ? 'is listed twice' : 'holds no live actor';
      throw new ActorError('ACTOR_ORDER_INVALID', `${owner}: reorder's order[${i}] = ${slot} ${why}`);
    }
    seen[slot] = 1;
  }
}

/** One hidden or field column as the gather moves it: `perActor` words of `width` bytes at `byteOffset`. */
interface Unit {
  readonly byteOffset: number;
  readonly width: 1 | 2 | 4;
  readonly perActor: number;
}

function unitsOf(layout: PageLayout): Unit[] {
  const units: Unit[] = layout.columns.map((c) => {
    const bytes = ELEMENT_BYTES[c.spec.element];
    return bytes >= 4 ? { byteOffset: c.byteOffset, width: 4, perActor: (c.spec.lanes * bytes) / 4 } : { byteOffset: c.byteOffset, width: bytes as 1 | 2, perActor: c.spec.lanes };
  });
  units.push({ byteOffset: layout.handleOffset, width: 4, perActor: 1 }, { byteOffset: layout.aliveOffset, width: 1, perActor: 1 }, { byteOffset: layout.generationOffset, width: 2, perActor: 1 });
  return units;
}

type GatherLoop = (from: readonly Words[][], to: readonly Words[][], order: Int32Array) => void;

/** One compiled gather per layout (kinds share layouts rarely; the cache is per layout object). */
const compiled = new WeakMap<PageLayout, GatherLoop>();

/**
 * The gather loop for `layout`, compiled with `new Function`: one pass over `order`, each actor's
 * source page found once and every word of every column copied by an unrolled statement. Measured
 * against one pass per column (five at `GameEntity`), which re-read `order` and re-found the page
 * for each column: see the actors README.
 */
function gatherLoop(layout: PageLayout): GatherLoop {
  let loop = compiled.get(layout);
  if (loop) return loop;
  const units = unitsOf(layout);
  const shift = Math.log2(layout.pageSize);
  const mask = layout.pageSize - 1;
  const lines: string[] = [];
  units.forEach((unit, u) => {
    lines.push(`{ const a = s${u}[sp]; const at = so * ${unit.perActor}, to = o * ${unit.perActor};`);
    for (let w = 0; w < unit.perActor; w++) lines.push(`  d${u}[to + ${w}] = a[at + ${w}];`);
    lines.push('}');
  });
  const body = `
    const pages = to[0].length;
    ${units.map((_, u) => `const s${u} = from[${u}];`).join(' ')}
    for (let p = 0; p < pages; p++) {
      ${units.map((_, u) => `const d${u} = to[${u}][p];`).join(' ')}
      const end = Math.min(${layout.pageSize}, order.length - p * ${layout.pageSize});
      for (let o = 0; o < end; o++) {
        const slot = order[(p << ${shift}) | o];
        const sp = slot >>> ${shift}, so = slot & ${mask};
        ${lines.join('\n        ')}
      }
    }`;
  loop = new Function('from', 'to', 'order', body) as GatherLoop;
  compiled.set(layout, loop);
  return loop;
}

/**
 * Writes actor `order[i]` of the `source` pages into slot i of the `target` pages (fresh frames),
 * every column and the hidden ones, bit for bit: 8-byte lanes move as pairs of int32 (a float64
 * load could canonicalise a NaN's payload, and the state hash reads the bits).
 */
export function gatherActors(layout: PageLayout, source: readonly PagePlace[], target: readonly PagePlace[], order: Int32Array): void {
  const units = unitsOf(layout);
  const view = (unit: Unit) => (page: PagePlace): Words => {
    const length = layout.pageSize * unit.perActor;
    const at = page.byteOffset + unit.byteOffset;
    return unit.width === 4 ? new Int32Array(page.buffer, at, length) : unit.width === 2 ? new Uint16Array(page.buffer, at, length) : new Uint8Array(page.buffer, at, length);
  };
  gatherLoop(layout)(
    units.map((unit) => source.map(view(unit))),
    units.map((unit) => target.map(view(unit))),
    order,
  );
}

/**
 * For `KindStore.reorderWithin`: the gather map of a page range (relative slots: target → source)
 * that puts actor `order[k]` into the k-th live slot of the range, free slots staying put, and the
 * live slots in ascending order. Throws `ACTOR_ORDER_INVALID` unless `order` lists every live slot
 * of the range exactly once.
 */
export function withinRangeMap(order: Int32Array, base: number, span: number, alivePages: readonly Uint8Array[], owner: string): { map: Int32Array; liveSlots: Int32Array } {
  const pageSize = alivePages[0]?.length ?? 1;
  // Per relative slot: 0 free, 1 live, 2 live and listed.
  const mark = new Uint8Array(span);
  const liveSlots = new Int32Array(span);
  let count = 0;
  for (let p = 0; p < alivePages.length; p++) {
    const alive = alivePages[p]!;
    const first = p * pageSize;
    const end = Math.min(pageSize, span - first);
    for (let o = 0; o < end; o++) {
      if (alive[o] === 0) continue;
      mark[first + o] = 1;
      liveSlots[count++] = base + first + o;
    }
  }
  if (order.length !== count) throw new ActorError('ACTOR_ORDER_INVALID', `${owner}: reorderWithin got ${order.length} slots for the ${count} live actors of slots [${base}, ${base + span})`);
  const map = new Int32Array(span);
  for (let o = 0; o < span; o++) map[o] = o;
  for (let k = 0; k < count; k++) {
    const relative = order[k]! - base;
    if (!(relative >= 0 && relative < span) || mark[relative] !== 1) {
      const slot = order[k]!;
      const why = !(relative >= 0 && relative < span) ? `is not a slot of [${base}, ${base + span})` : mark[relative] === 2 ? 'is listed twice' : 'holds no live actor';
      throw new ActorError('ACTOR_ORDER_INVALID', `${owner}: reorderWithin's order[${k}] = ${slot} ${why}`);
    }
    mark[relative] = 2;
    map[liveSlots[k]! - base] = relative;
  }
  return { map, liveSlots: liveSlots.subarray(0, count) };
}
