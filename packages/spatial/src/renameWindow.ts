/**
 * After a sort step moved the live actors of a window of slots among themselves (spatialOrder.ts),
 * the octree writer's index follows by renaming just those ids, as a whole sort renames all of
 * them: the tree's labels (`renumberSome`: no point moves), each id's state, and the outside list's
 * entries. O(window).
 */
import type { Octree } from '@concurrengine/octree';

/** Reused between steps: the window's renaming and the states it carries. */
export class RenameScratch {
  from = new Int32Array(0);
  to = new Int32Array(0);
  state = new Uint8Array(0);

  size(n: number): void {
    if (this.from.length >= n) return;
    this.from = new Int32Array(n);
    this.to = new Int32Array(n);
    this.state = new Uint8Array(n);
  }
}

/**
 * The kind's ids start at `base`; the live slots of the window, ascending, are `slots`, and the
 * actor now in `slots[k]` was in `order[k]`. `state` is by id; `outside` holds `outsideCount`
 * entries of 4 lanes, id first.
 */
export function renameWindow(tree: Octree, state: Uint8Array, outside: Float64Array, outsideCount: number, base: number, slots: Int32Array, order: Int32Array, scratch: RenameScratch): void {
  const n = order.length;
  scratch.size(n);
  const { from, to, state: moved } = scratch;
  for (let k = 0; k < n; k++) {
    from[k] = base + order[k]!;
    to[k] = base + slots[k]!;
    moved[k] = state[from[k]!]!;
  }
  tree.renumberSome(from, to, n);
  for (let k = 0; k < n; k++) state[to[k]!] = moved[k]!;
  if (outsideCount === 0 || n === 0) return;
  const newIdOf = new Map<number, number>();
  for (let k = 0; k < n; k++) if (from[k] !== to[k]) newIdOf.set(from[k]!, to[k]!);
  for (let e = 0; e < outsideCount * 4; e += 4) {
    const id = outside[e]!;
    const renamed = newIdOf.get(id);
    if (renamed !== undefined) outside[e] = renamed;
  }
}
