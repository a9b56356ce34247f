/**
 * Runs one kind's handler over a range of pages with a flyweight: one instance per (thread, kind),
 * the cursor moved from live actor to live actor. This loop is the engine's hot path.
 */
import type { Schema } from './fields.js';
import { bindPage, CURSOR, type ActorInstance, type ActorKind } from './actorClass.js';
import type { Context } from './context.js';
import type { Cursor } from './cursor.js';
import type { KindStore, Page } from './kindStore.js';

/** A handler that threw, with what the supervisor needs to act on it. */
export interface HandlerFailure {
  readonly kind: string;
  readonly slot: number;
  readonly error: unknown;
}

/** The method the runner calls on each live actor. */
export type HandlerOf<I> = (this: I, message: unknown, ctx: Context) => void;

export interface KindRunner {
  /**
   * Runs the handler on every live actor of pages [firstPage, endPage). A throwing handler is
   * recorded in `failures` and the loop goes on with the next actor. Returns how many ran.
   */
  runPages(firstPage: number, endPage: number, message: unknown, ctx: Context, failures: HandlerFailure[]): number;
  /**
   * Runs the handler on one actor (message delivery). False, with the failure recorded, if it
   * threw; the caller checks liveness first.
   */
  runSlot(slot: number, message: unknown, ctx: Context, failures: HandlerFailure[]): boolean;
  /** Replaces the handler (hot reload): the next call runs the new code over the same columns. */
  setHandler(handler: HandlerOf<ActorInstance>): void;
  /** The flyweight's cursor: a context reads the current actor's slot from it (`base + o`). */
  readonly cursor: Cursor;
}

/** What the runner calls: method syntax, so a kind may narrow the message type it accepts. */
export interface Runnable extends ActorInstance {
  handle(message: unknown, ctx: Context): void;
}

export function createKindRunner<I extends Runnable>(kind: ActorKind<Schema, I>, store: KindStore<I>): KindRunner {
  const actor = new kind();
  const cursor = actor[CURSOR];
  const pageSize = kind.layout.pageSize;
  const runPages = compileLoop(store, actor, cursor, pageSize, kind.name);
  let bound: Page | undefined;
  return {
    runPages,
    runSlot(slot, message, ctx, failures) {
      // Rebind the columns only when the page changes: deliveries arrive in slot order mostly.
      // The page's views are compared, not its index: a copy-on-write moves a page to a new frame.
      const p = Math.floor(slot / pageSize);
      // A page a sealed tick holds is copied into its reserved frame right before it is written.
      store.claimWrites(p, p + 1);
      const page = store.page(p);
      if (page !== bound || p !== cursor.page) {
        bindPage(actor, page.columns);
        cursor.page = p;
        cursor.base = p * pageSize;
        bound = page;
      }
      cursor.o = slot - cursor.base;
      try {
        actor.handle(message, ctx);
        return true;
      } catch (error) {
        failures.push({ kind: kind.name, slot, error });
        return false;
      }
    },
    setHandler(next) {
      // An own property shadows the prototype's method: one map change, then monomorphic again.
      actor.handle = next as Runnable['handle'];
    },
    cursor,
  };
}

type RunPages = KindRunner['runPages'];

/**
 * The loop is compiled once per kind with `new Function`, so each kind gets its own function and
 * its own type feedback: with one shared closure, V8 shares feedback between kinds and the
 * `actor.handle` call site turns polymorphic (BENCHMARKS.md measured 2.4× for 8 kinds).
 */
function compileLoop<I extends ActorInstance>(store: KindStore<I>, actor: I, cursor: Cursor, pageSize: number, kindName: string): RunPages {
  const factory = new Function(
    'store',
    'actor',
    'cursor',
    'pageSize',
    'kindName',
    'bindPage',
    `return function runPages_${kindName.replace(/\W/g, '_')}(firstPage, endPage, message, ctx, failures) {
      let ran = 0;
      const end = Math.min(endPage, store.usedPages);
      for (let p = firstPage; p < end; p++) {
        // Copy-on-write page by page, just before the page runs: the copy is still in cache when
        // the handlers read it (copying a whole job's pages first would evict them again).
        store.claimWrites(p, p + 1);
        const page = store.page(p);
        const alive = page.alive;
        const count = Math.min(pageSize, store.highWater - p * pageSize);
        bindPage(actor, page.columns);
        cursor.page = p;
        cursor.base = p * pageSize;
        let o = 0;
        // The try sits outside the per-actor loop; after a failure the loop resumes at the next actor.
        while (o < count) {
          try {
            for (; o < count; o++) {
              if (alive[o] !== 1) continue;
              cursor.o = o;
              actor.handle(message, ctx);
              ran++;
            }
          } catch (error) {
            failures.push({ kind: kindName, slot: cursor.base + o, error });
            ran++;
            o++;
          }
        }
      }
      return ran;
    };`,
  ) as (...args: unknown[]) => RunPages;
  return factory(store, actor, cursor, pageSize, kindName, bindPage);
}
