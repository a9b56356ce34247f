/**
 * `octreeFrom(buffer)` in real worker threads: two workers rebuild readers from the writer's
 * SharedArrayBuffer, overlap (an Atomics barrier), and answer the same queries as the writer.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

import { createOctree, FORMAT_VERSION, isOctreeError, octreeFrom } from '../src/index.js';
import { WORLD } from './helpers.js';

const bootstrap = new URL('./fixtures/bootstrap.mjs', import.meta.url);
const fixture = new URL('./fixtures/query.worker.ts', import.meta.url).href;

interface Answer {
  box: number[];
  ball: number[];
  near: number[];
}

describe('readers in worker threads', () => {
  it('answer the same queries from the shared buffer', async () => {
    const n = 20_000;
    const tree = createOctree({ capacity: n, bounds: WORLD, splitAbove: 64 });
    const positions = new Float64Array(n * 3);
    let s = 7;
    for (let i = 0; i < n * 3; i++) positions[i] = ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 100;
    tree.insertMany(positions, n);
    tree.rebalance();
    for (let i = 0; i < n * 3; i++) positions[i] = Math.min(100, positions[i]! + ((i % 7) - 3) * 0.5 + 1.5);
    tree.update(positions);
    tree.rebalance();
    const queries = Array.from({ length: 40 }, (_, i) => [(i * 37) % 100, (i * 53) % 100, (i * 71) % 100, 2 + (i % 9), 1 + (i % 20)]);
    const barrier = new SharedArrayBuffer(8);
    new Int32Array(barrier)[1] = 2;
    const workers = [0, 1].map(() => new Worker(bootstrap, { workerData: { fixture, buffer: tree.buffer, queries, barrier } }));
    const replies = await Promise.all(workers.map((w) => once(w, 'message') as Promise<[{ size: number; answers: Answer[] }]>));
    await Promise.all(workers.map((w) => w.terminate()));
    const out = new Int32Array(100_000);
    expect(replies[0]![0].answers.reduce((sum, a) => sum + a.box.length, 0)).toBeGreaterThan(40);
    for (const [reply] of replies) {
      expect(reply.size).toBe(n);
      queries.forEach(([x, y, z, r, k], i) => {
        const got = reply.answers[i]!;
        expect(got.box).toEqual(tree.queryBox(x! - r!, y! - r!, z! - r!, x! + r!, y! + r!, z! + r!).sort((a, b) => a - b));
        expect(got.ball).toEqual(tree.queryRadius(x!, y!, z!, r!).sort((a, b) => a - b));
        expect(got.near).toEqual(Array.from(out.subarray(0, tree.nearestInto(x!, y!, z!, k!, out.subarray(0, k!)))));
      });
    }
  });

  it('refuses a buffer that is not an octree of this version', () => {
    expect(() => octreeFrom(new SharedArrayBuffer(16))).toThrow(/too small/);
    const bad = new SharedArrayBuffer(1024);
    expect(() => octreeFrom(bad)).toThrow(/not an octree buffer/);
    const tree = createOctree({ capacity: 10, bounds: WORLD, shared: false });
    const copy = (tree.buffer as ArrayBuffer).slice(0);
    new Int32Array(copy)[1] = 99;
    try {
      octreeFrom(copy);
      expect.unreachable();
    } catch (error) {
      expect(isOctreeError(error, 'OCTREE_BAD_BUFFER')).toBe(true);
      expect((error as Error).message).toBe(`Got v99 data when expected v${FORMAT_VERSION}`);
    }
    expect(octreeFrom((tree.buffer as ArrayBuffer).slice(0)).size).toBe(0);
  });
});
