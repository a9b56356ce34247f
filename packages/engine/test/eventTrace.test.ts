import { defineEvent, makeRef } from '@concurrengine/actors';
import { describe, expect, it } from 'vitest';

import { EventTrace } from '../src/eventTrace.js';
import { CONTROL_WORDS, CTL_TRACE_MASK } from '../src/protocol.js';

const Traced = defineEvent('TracedForTest', { v: 'f64' });

describe('EventTrace', () => {
  it('traces one slot in 2^k for sample_rate ≈ 2^-k, widening so about 1024 actors are traced per tick', () => {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
    const trace = new EventTrace(control, 0.01);
    trace.beginTick(10_000);
    expect(control[CTL_TRACE_MASK]).toBe(127); // 1/128 ≈ 0.01
    trace.beginTick(1_000_000);
    expect(control[CTL_TRACE_MASK]).toBe(1023); // widened: ~977 traced instead of 7,813
    trace.beginTick(500);
    expect(control[CTL_TRACE_MASK]).toBe(127);
  });

  it('keeps the events of traced slots and hands them to the telemetry once', () => {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
    const trace = new EventTrace(control, 0.25);
    trace.beginTick(100);
    for (let slot = 0; slot < 12; slot++) trace.observe!(Traced.id, makeRef(0, slot, 0));
    const calls: unknown[][] = [];
    const telemetry = { traceEvents: (...args: unknown[]) => void calls.push(args) } as never;
    trace.flush(telemetry, 7);
    expect(calls).toEqual([[7, 'TracedForTest', [makeRef(0, 0, 0), makeRef(0, 4, 0), makeRef(0, 8, 0)]]]);
    trace.flush(telemetry, 8);
    expect(calls).toHaveLength(1);
  });

  it('is off without a sample rate', () => {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
    const trace = new EventTrace(control, undefined);
    trace.beginTick(1000);
    expect(control[CTL_TRACE_MASK]).toBe(-1);
    expect(trace.observe).toBeUndefined();
  });
});
