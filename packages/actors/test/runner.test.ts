import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { Actor, createKindRunner, field, KindStore, TICK, type Context, type HandlerFailure } from '../src/index.js';
import { createRecordingContext } from '../src/testing.js';
import { GameEntity, PositionChanged } from './fixtures/kinds.js';

function world(n: number) {
  const store = new KindStore(GameEntity, 0);
  for (let i = 0; i < n; i++) store.spawn((e) => (e.position.set(i, 0, 0), e.velocity.set(1, 2, 3)));
  const runner = createKindRunner(GameEntity, store);
  const ctx = createRecordingContext({ store, cursor: runner.cursor, delta: 0.5 });
  return { store, runner, ctx };
}

describe('createKindRunner', () => {
  it('runs the brief example once per live actor, through views onto the columns', () => {
    const { store, runner, ctx } = world(200);
    const dead = store.refAt(17);
    store.despawn(dead);
    const failures: HandlerFailure[] = [];
    expect(runner.runPages(0, store.usedPages, TICK, ctx, failures)).toBe(199);
    expect(failures).toEqual([]);
    expect(store.view(store.refAt(5)).position.toJSON()).toEqual({ x: 5.5, y: 1, z: 1.5 });
    expect(ctx.emitted).toHaveLength(199);
    expect(ctx.emitted[0]).toMatchObject({ from: store.refAt(0), type: PositionChanged, payload: { position: { x: 0.5, y: 1, z: 1.5 } } });
    expect(ctx.emitted.some((e) => e.from === dead)).toBe(false);
  });

  it('runs only the pages asked for', () => {
    const { store, runner, ctx } = world(200); // 64 per page: pages 0..3
    expect(runner.runPages(1, 2, TICK, ctx, [])).toBe(64);
    expect(store.view(store.refAt(63)).position.x).toBe(63);
    expect(store.view(store.refAt(64)).position.x).toBe(64.5);
  });

  it('records a throwing handler with its slot and leaves the other actors correct', () => {
    class Fragile extends Actor({ hp: field.f64(1) }, { pageSize: 16 }) {
      handle(_t: unknown, ctx: Context): void {
        if (ctx.self % 16 === 7) throw new Error('boom');
        this.hp += 1;
      }
    }
    const store = new KindStore(Fragile, 0);
    store.spawnMany(40);
    const runner = createKindRunner(Fragile, store);
    const ctx = createRecordingContext({ store, cursor: runner.cursor });
    const failures: HandlerFailure[] = [];
    expect(runner.runPages(0, 3, TICK, ctx, failures)).toBe(40);
    expect(failures.map((f) => f.slot)).toEqual([7, 23, 39]);
    expect(failures[0]).toMatchObject({ kind: 'Fragile', error: expect.objectContaining({ message: 'boom' }) });
    for (let slot = 0; slot < 40; slot++) expect(store.view(store.refAt(slot)).hp).toBe(slot % 16 === 7 ? 1 : 2);
  });

  it('runs one actor with runSlot (message delivery) and records a throw', () => {
    const { store, runner, ctx } = world(10);
    const failures: HandlerFailure[] = [];
    expect(runner.runSlot(4, TICK, ctx, failures)).toBe(true);
    expect(store.view(store.refAt(4)).position.x).toBe(4.5);
    expect(store.view(store.refAt(5)).position.x).toBe(5);
    runner.setHandler(function () {
      throw new Error('nope');
    } as never);
    expect(runner.runSlot(6, TICK, ctx, failures)).toBe(false);
    expect(failures).toEqual([expect.objectContaining({ slot: 6, kind: 'GameEntity' })]);
  });

  it('hot-reloads the handler and keeps every actor state', () => {
    const { store, runner, ctx } = world(10);
    runner.runPages(0, 1, TICK, ctx, []);
    runner.setHandler(function (this: GameEntity) {
      this.position.scale(2);
    } as never);
    runner.runPages(0, 1, TICK, ctx, []);
    expect(store.view(store.refAt(3)).position.toJSON()).toEqual({ x: 7, y: 2, z: 3 });
  });

  it('gives each actor a random stream that depends on (seed, actor, tick) only', () => {
    const draw = (seed: number) => {
      const { store, runner } = world(3);
      const ctx = createRecordingContext({ store, cursor: runner.cursor, seed });
      const seen: number[] = [];
      runner.setHandler(function (_m: unknown, c: Context) {
        seen.push(c.random(), c.random());
      } as never);
      runner.runPages(0, 1, TICK, ctx, []);
      return seen;
    };
    expect(draw(9)).toEqual(draw(9));
    expect(draw(9)).not.toEqual(draw(10));
    expect(new Set(draw(9)).size).toBe(6);
  });

  it('shares pages with a real worker thread: the worker moves the actors the main thread sees', async () => {
    const { store } = world(300);
    const worker = new Worker(new URL('./fixtures/bootstrap.mjs', import.meta.url), {
      workerData: { entry: new URL('./runPages.worker.ts', new URL('./fixtures/', import.meta.url)).href, descriptor: store.describe(), firstPage: 0, endPage: store.usedPages },
    });
    const [result] = (await once(worker, 'message')) as [{ ran: number; emitted: number; failures: number }];
    await worker.terminate();
    expect(result).toEqual({ ran: 300, emitted: 300, failures: 0 });
    expect(store.view(store.refAt(299)).position.toJSON()).toEqual({ x: 299.5, y: 1, z: 1.5 });
  });
});
