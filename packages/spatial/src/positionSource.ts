/**
 * The octree's `update` reads every indexed actor's position each boundary. Gathering them into
 * one array by id first cost as much as the update itself (11 ms a tick at 1M: 24 MB written, then
 * read again), so the writer hands the octree the pages' own position columns as equal chunks
 * (`ChunkedPositions`): id `base[kind] + slot` → chunk `id >> shift`. Kinds own power-of-two id
 * ranges (at least 1024) laid end to end, and pages are power-of-two sized, so a chunk of the
 * smallest page size or range, whichever is less, never straddles two pages or two kinds (one
 * kind of 1M actors: one chunk per page, no views made). Slots with no page (past a kind's pages,
 * up to its range) get a shared empty chunk: no indexed id lives there.
 */
import type { KindStore } from '@concurrengine/actors';
import type { ChunkedPositions } from '@concurrengine/octree';

export class PositionSource {
  private readonly chunks: Float64Array[] = [];
  private empty = new Float64Array(0);
  private readonly source = { chunks: this.chunks, shift: 0 };

  /** The chunks as of the last `refresh` that returned true. */
  get chunked(): ChunkedPositions {
    return this.source;
  }

  /**
   * Points the chunks at the current frames of every indexed kind (frames change each tick under
   * copy-on-write). Returns false when some indexed kind's position column is not f64: the caller
   * then gathers positions into one array itself.
   */
  refresh(stores: readonly KindStore[], columns: readonly number[], bases: readonly number[], caps: readonly number[]): boolean {
    let rows = Infinity;
    for (let kindId = 0; kindId < stores.length; kindId++) {
      if (columns[kindId]! < 0) continue;
      const store = stores[kindId]!;
      if (store.layout.columns[columns[kindId]!]!.spec.element !== 'f64') return false;
      rows = Math.min(rows, store.layout.pageSize, caps[kindId]!);
    }
    if (rows === Infinity) rows = 1;
    const shift = Math.log2(rows);
    if (this.empty.length !== rows * 3) this.empty = new Float64Array(rows * 3);
    const chunks = this.chunks;
    chunks.length = 0;
    for (let kindId = 0; kindId < stores.length; kindId++) {
      const column = columns[kindId]!;
      if (column < 0) continue;
      const store = stores[kindId]!;
      const pageSize = store.layout.pageSize;
      const perPage = pageSize / rows;
      const first = bases[kindId]! >> shift;
      // Kinds without a position column own no id range's worth of chunks: skip to this kind's base.
      while (chunks.length < first) chunks.push(this.empty);
      const count = caps[kindId]! >> shift;
      for (let c = 0; c < count; c++) {
        const page = Math.floor(c / perPage);
        if (page >= store.usedPages) {
          chunks.push(this.empty);
          continue;
        }
        const xyz = store.page(page).columns[column] as Float64Array;
        chunks.push(perPage === 1 ? xyz : xyz.subarray((c % perPage) * rows * 3, ((c % perPage) + 1) * rows * 3));
      }
    }
    this.source.shift = shift;
    return true;
  }
}
