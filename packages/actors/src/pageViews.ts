/**
 * What a kind's pages look like from any thread: one page's typed views over its frame, the
 * descriptor another thread attaches with (buffers shared, not copied) and its layout check, and
 * a kind's state as storage keeps it. `KindStore` (kindStore.ts) does the rest.
 */
import { ActorError } from './errors.js';
import type { HandleTableDescriptor } from './handleTable.js';
import { columnView, LAYOUT_VERSION, type ColumnArray, type PageLayout } from './layout.js';

/** One page's typed views (into the kind's one buffer). */
export interface Page {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly columns: readonly ColumnArray[];
  /** The handle (ref.ts) of the actor in each slot. */
  readonly handle: Int32Array;
  readonly alive: Uint8Array;
  readonly generation: Uint16Array;
}

/** What another thread needs to attach to a store: structured-cloneable, buffers shared not copied. */
export interface KindStoreDescriptor {
  readonly kindName: string;
  readonly kindId: number;
  readonly layout: PageLayout;
  /** Growable: every page frame of the kind. */
  readonly buffer: SharedArrayBuffer;
  /** Int32 words: HIGH_WATER, LIVE, HANDLES. */
  readonly header: SharedArrayBuffer;
  /** The handle → slot map. */
  readonly handles: HandleTableDescriptor;
  /** Int32 words: the frame of each page, then the frame reserved for its next write (+1). */
  readonly table: SharedArrayBuffer;
}

/** The views of frame `frame` of a kind's buffer. */
export function frameViews(layout: PageLayout, buffer: SharedArrayBuffer, frame: number): Page {
  const byteOffset = frame * layout.pageBytes;
  return {
    buffer,
    byteOffset,
    columns: layout.columns.map((c) => columnView(buffer, { ...c, byteOffset: byteOffset + c.byteOffset })),
    handle: new Int32Array(buffer, byteOffset + layout.handleOffset, layout.pageSize),
    alive: new Uint8Array(buffer, byteOffset + layout.aliveOffset, layout.pageSize),
    generation: new Uint16Array(buffer, byteOffset + layout.generationOffset, layout.pageSize),
  };
}

/** A kind's state as storage keeps it (`KindStore.load`): its pages, counts and free lists. */
export interface StoredKind {
  readonly pages: readonly Uint8Array[];
  readonly highWater: number;
  readonly live: number;
  readonly freeSlots: readonly number[];
  /** Handles issued, the free ones, and the generation each free one's next actor gets. */
  readonly handles: { readonly count: number; readonly free: readonly number[]; readonly generations: readonly number[] };
}

/** Throws `ACTOR_LAYOUT_MISMATCH` unless `descriptor`'s pages are laid out as `layout`. */
export function checkLayout(descriptor: KindStoreDescriptor, layout: PageLayout): void {
  if (descriptor.layout.version !== LAYOUT_VERSION || descriptor.layout.pageBytes !== layout.pageBytes || descriptor.layout.pageSize !== layout.pageSize) {
    throw new ActorError(
      'ACTOR_LAYOUT_MISMATCH',
      `kind ${descriptor.kindName}: page layout v${descriptor.layout.version} (${descriptor.layout.pageSize} actors, ${descriptor.layout.pageBytes} bytes) does not match this thread's v${LAYOUT_VERSION} (${layout.pageSize} actors, ${layout.pageBytes} bytes): is the same module loaded?`,
    );
  }
}

/**
 * Sets every field of the actor at offset `o` of `page`: to its values at offset `from` of
 * `source` (a restart from a sealed page), or to the schema's initial values (a spawn, a restart
 * from scratch). The hidden columns are left to the caller.
 */
export function writeFields(layout: PageLayout, page: Page, o: number, source?: Page, from = 0): void {
  layout.columns.forEach((column, k) => {
    const lanes = column.spec.lanes;
    const to = page.columns[k]!;
    for (let lane = 0; lane < lanes; lane++) to[o * lanes + lane] = source ? source.columns[k]![from * lanes + lane]! : column.spec.initial[lane]!;
  });
}

/**
 * Throws `ACTOR_LAYOUT_MISMATCH` for a stored page of another size and `ACTOR_CAPACITY` for more
 * pages than a store holds (or a high-water mark past its pages), before a load changes anything.
 */
export function checkStored(image: StoredKind, layout: PageLayout, maxPages: number, owner: string): void {
  const wrong = image.pages.findIndex((page) => page.byteLength !== layout.pageBytes);
  if (wrong >= 0) {
    throw new ActorError('ACTOR_LAYOUT_MISMATCH', `${owner}: stored page ${wrong} has ${image.pages[wrong]!.byteLength} bytes; this layout's pages have ${layout.pageBytes}`);
  }
  if (image.pages.length > maxPages || image.highWater > image.pages.length * layout.pageSize) {
    throw new ActorError('ACTOR_CAPACITY', `${owner}: stored state of ${image.pages.length} pages (high-water ${image.highWater}) does not fit this store`);
  }
}
