/**
 * Issue 15 item 10: every payload field type takes exactly its range (a u32 took 2^40 and -1),
 * every refusal is an `ActorError` naming the record, the field and the range, and a quoted value
 * is truncated (a 10 MB string made a 10 MB message).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ActorError, assertRecordType, defineEvent, defineMessage, describeValue, isRecordType, type PayloadFieldType } from '../src/index.js';

const SEED = 1515;
const RUNS = 300;

const lane = fc.double(); // NaN, ±Infinity and -0 included: f64 lanes take any number
const ARB: Record<PayloadFieldType, fc.Arbitrary<unknown>> = {
  f64: lane,
  i32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  u32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  bool: fc.boolean(),
  ref: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
  vec2: fc.record({ x: lane, y: lane }),
  vec3: fc.record({ x: lane, y: lane, z: lane }),
  quat: fc.record({ x: lane, y: lane, z: lane, w: lane }),
};

/** Values a field of each type must refuse (beside every non-number, checked below). */
const notInteger = fc.oneof(fc.constant(Number.NaN), fc.constant(Infinity), fc.constant(-Infinity), fc.double({ noInteger: true }));
const BAD: Partial<Record<PayloadFieldType, fc.Arbitrary<unknown>>> = {
  i32: fc.oneof(fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -(2 ** 31) - 1 }), notInteger),
  u32: fc.oneof(fc.integer({ min: 2 ** 32, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }), notInteger),
  ref: fc.oneof(fc.integer({ min: 2 ** 48, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }), notInteger),
  bool: fc.oneof(fc.constant(0), fc.constant(1), fc.constant('true')),
};
const notANumber = fc.oneof(fc.string(), fc.constant(null), fc.constant(undefined), fc.bigInt(), fc.constant({}), fc.constant([1]), fc.boolean());

const TYPES = Object.keys(ARB) as PayloadFieldType[];
const same = (a: unknown, b: unknown): boolean =>
  typeof a === 'object' && a !== null ? Object.keys(a).every((k) => Object.is((a as never)[k], (b as never)[k])) : Object.is(a, b);

describe('issue 15: payload fields take exactly their range', () => {
  for (const type of TYPES) {
    const Single = defineMessage(`Issue15Single_${type}`, { v: type });
    const Pair = defineEvent(`Issue15Pair_${type}`, { before: 'f64', v: type });

    it(`${type}: in-range values round-trip exactly, alone and beside another field`, () => {
      fc.assert(
        fc.property(ARB[type], (value) => {
          const out = new Float64Array(Pair.lanes + 1);
          Single.encode(value as never, out, 1);
          expect(same(value, Single.decode(out, 1).v)).toBe(true);
          Pair.encode({ before: 7, v: value } as never, out, 0);
          expect(same(value, Pair.decode(out, 0).v)).toBe(true);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });

    const bad = type === 'f64' ? notANumber : BAD[type] ? fc.oneof(BAD[type], notANumber.filter((v) => typeof v !== 'boolean' || type !== 'bool')) : notANumber.filter((v) => typeof v !== 'object' || v === null);
    it(`${type}: out-of-range and wrongly typed values throw ACTOR_PAYLOAD_INVALID naming the record, field and range`, () => {
      fc.assert(
        fc.property(bad, (value) => {
          const out = new Float64Array(Pair.lanes);
          let error: unknown;
          try {
            Pair.encode({ before: 1, v: value } as never, out, 0);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(ActorError);
          expect(error).toMatchObject({ code: 'ACTOR_PAYLOAD_INVALID', message: expect.stringContaining(`event Issue15Pair_${type}: field v`) });
          expect((error as Error).message).toMatch(/expected /);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }

  it('states the range of the integer types', () => {
    const Counts = defineMessage('Issue15Counts', { n: 'u32', d: 'i32' });
    const out = new Float64Array(2);
    expect(() => Counts.encode({ n: 2 ** 40, d: 0 }, out, 0)).toThrowError('message Issue15Counts: field n = 1099511627776, expected an integer in [0, 4294967295] (u32)');
    expect(() => Counts.encode({ n: -1, d: 0 }, out, 0)).toThrowError(/field n = -1, expected an integer in \[0, 4294967295\]/);
    expect(() => Counts.encode({ n: 0, d: 2 ** 31 }, out, 0)).toThrowError(/field d = 2147483648, expected an integer in \[-2147483648, 2147483647\] \(i32\)/);
    expect(() => Counts.encode({ n: 0, d: Number.NaN }, out, 0)).toThrowError(/field d = NaN/);
  });

  it('stores an integer -0 as 0', () => {
    const Z = defineMessage('Issue15Zero', { n: 'u32', d: 'i32' });
    const out = new Float64Array(2);
    Z.encode({ n: -0, d: -0 }, out, 0);
    expect(Object.is(out[0], 0) && Object.is(out[1], 0)).toBe(true);
  });

  it('quotes at most ~80 characters of a bad value', () => {
    const Named = defineMessage('Issue15Named', { v: 'f64' });
    const huge = 'x'.repeat(10_000_000);
    let message = '';
    try {
      Named.encode({ v: huge } as never, new Float64Array(1), 0);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('message Issue15Named: field v = "xxxx');
    expect(message).toContain('(10000000 characters)');
    expect(message.length).toBeLessThan(200);
    expect(describeValue(Symbol('s'.repeat(1000))).length).toBeLessThan(120);
    expect(describeValue(10n ** 500n).length).toBeLessThan(120);
    expect(describeValue(Object.create(null))).toBe('an object');
    expect(describeValue([1, 2])).toBe('an array of 2');
  });
});

describe('issue 15: a forged record type is refused with a code', () => {
  const Real = defineMessage('Issue15Real', { v: 'f64' });
  const RealEvent = defineEvent('Issue15RealEvent', { v: 'f64' });

  it('knows the objects defineMessage/defineEvent returned, and nothing else', () => {
    expect(isRecordType(Real, 'message')).toBe(true);
    expect(isRecordType(RealEvent, 'event')).toBe(true);
    expect(isRecordType(RealEvent, 'message')).toBe(false);
    expect(isRecordType({ ...Real }, 'message')).toBe(false);
    expect(isRecordType(structuredClone({ role: Real.role, name: Real.name, id: Real.id, lanes: Real.lanes, fields: Real.fields }), 'message')).toBe(false);
    expect(isRecordType(undefined, 'message')).toBe(false);
    expect(isRecordType(Object.create(null), 'message')).toBe(false);
  });

  it('throws ACTOR_RECORD_TYPE_INVALID saying what it got and where', () => {
    for (const forged of [{ ...Real }, { role: 'message', name: 'Issue15Real' }, null, 42, 'Issue15Real', RealEvent]) {
      expect(() => assertRecordType(forged, 'message', 'send()')).toThrowError(expect.objectContaining({ code: 'ACTOR_RECORD_TYPE_INVALID', message: expect.stringMatching(/^send\(\): /) }));
    }
    expect(() => assertRecordType({ ...Real }, 'message', 'send()')).toThrowError(/message Issue15Real .*not the one defineMessage\(\) returned/);
    expect(() => assertRecordType(RealEvent, 'message', 'send()')).toThrowError(/an event type/);
    expect(() => assertRecordType(Real, 'message', 'send()')).not.toThrow();
  });
});
