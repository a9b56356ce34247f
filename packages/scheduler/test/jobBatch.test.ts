import { describe, expect, it } from 'vitest';

import { createJobBatch } from '../src/index.js';

describe('JobBatch', () => {
  it('grows, keeps jobs, and truncates arguments to int32', () => {
    const b = createJobBatch(1);
    for (let i = 0; i < 100; i++) b.add(i % 7, i, -i, 2 ** 31 + i, 5, i % 3 === 0 ? i : -1);
    expect(b.length).toBe(100);
    expect(b.hasHints).toBe(true);
    expect([b.kind(50), b.arg(50, 0), b.arg(50, 1), b.arg(50, 2), b.arg(50, 3), b.hint(51), b.hint(50)]).toEqual([1, 50, -50, -(2 ** 31) + 50, 5, 51, -1]);
    expect(b.status(3)).toBe('pending');
    b.clear();
    expect(b.length).toBe(0);
    expect(b.hasHints).toBe(false);
  });

  it('rejects bad kinds and ids with typed errors', () => {
    const b = createJobBatch();
    expect(() => b.add(-1)).toThrowError(expect.objectContaining({ code: 'SCHEDULER_INVALID_ARGUMENT' }));
    expect(() => b.add(1.5)).toThrowError(expect.objectContaining({ code: 'SCHEDULER_INVALID_ARGUMENT' }));
    expect(() => b.add(70_000)).toThrowError(/\[0, 65535\]; got 70000/);
    b.add(1);
    expect(() => b.result(1)).toThrowError(expect.objectContaining({ code: 'SCHEDULER_INVALID_ARGUMENT' }));
  });
});
