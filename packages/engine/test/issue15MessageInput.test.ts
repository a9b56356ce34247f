/**
 * Issue 15 item 10: message input through the engine. In-range values of every payload field type
 * arrive exactly; out-of-range ones (a u32 of 2^40 or -1), wrong types and look-alike record types
 * are refused with a typed error and enqueue nothing — from `send`, `sendAsync`, `ctx.send`,
 * `ctx.emit` and `on`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ActorError } from '@concurrengine/actors';

import { createEngine, defineEvent, type ActorRef, type Engine, type HandlerErrorReport } from '../src/index.js';
import { Probe, Probed, Receiver } from './fixtures/payloadProbe.js';

const PROBE = new URL('./fixtures/payloadProbe.ts', import.meta.url).href;
const SEED = 1510;
const lane = fc.double();
const inRange = fc.record({
  f: lane,
  i: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  u: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  b: fc.boolean(),
  r: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
  q: fc.record({ x: lane, y: lane }),
  p: fc.record({ x: lane, y: lane, z: lane }),
  o: fc.record({ x: lane, y: lane, z: lane, w: lane }),
});
const ok = { f: 1, i: 1, u: 1, b: true, r: 0, q: { x: 0, y: 0 }, p: { x: 0, y: 0, z: 0 }, o: { x: 0, y: 0, z: 0, w: 1 } };
/** One field replaced by a value its type must refuse. */
const outOfRange = fc.oneof(
  fc.record({ key: fc.constant('i' as const), v: fc.oneof(fc.constant(2 ** 31), fc.constant(-(2 ** 31) - 1), fc.constant(1.5), fc.constant(Number.NaN), fc.constant('1')) }),
  fc.record({ key: fc.constant('u' as const), v: fc.oneof(fc.constant(2 ** 40), fc.constant(-1), fc.constant(2 ** 32), fc.constant(Infinity), fc.constant(0.5)) }),
  fc.record({ key: fc.constant('b' as const), v: fc.oneof(fc.constant(1), fc.constant('true'), fc.constant(null)) }),
  fc.record({ key: fc.constant('r' as const), v: fc.oneof(fc.constant(-1), fc.constant(2 ** 48), fc.constant(0.5)) }),
  fc.record({ key: fc.constant('f' as const), v: fc.oneof(fc.constant('1'), fc.constant(1n), fc.constant(undefined)) }),
  fc.record({ key: fc.constant('p' as const), v: fc.oneof(fc.constant({ x: 0, y: 0, z: '0' }), fc.constant(3), fc.constant(null)) }),
  fc.record({ key: fc.constant('q' as const), v: fc.constant({ x: 0 }) }),
  fc.record({ key: fc.constant('o' as const), v: fc.constant([0, 0, 0, 1]) }),
);
const bad = outOfRange.map(({ key, v }) => ({ key, payload: { ...ok, [key]: v } }));

const sameValue = (a: unknown, b: unknown): boolean =>
  typeof a === 'object' && a !== null ? Object.keys(a).every((k) => Object.is((a as never)[k], (b as { [k: string]: unknown })[k])) : Object.is(a, b);

describe('issue 15: message input through the engine', () => {
  for (const threads of [1, 2]) {
    describe(`${threads} thread(s)`, () => {
      let engine: Engine;
      let refs: ActorRef[];
      beforeAll(() => {
        engine = createEngine({ threads, seed: 1, actorModules: [PROBE] });
        engine.spawn(Receiver, 8);
        refs = [...engine.refs(Receiver)];
      });
      afterAll(() => engine.close());

      it('delivers every in-range value of every field type exactly (send → deliver, property)', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(inRange, { minLength: 1, maxLength: refs.length }), async (payloads) => {
            payloads.forEach((payload, k) => engine.send(refs[k]!, Probe, payload));
            await engine.step();
            payloads.forEach((payload, k) => {
              const got = engine.view(Receiver, refs[k]!);
              for (const key of Object.keys(payload) as (keyof typeof payload)[]) {
                const value = got[key] as unknown;
                const plain = typeof value === 'object' && value !== null ? { x: (value as { x: number }).x, y: (value as { y: number }).y, z: (value as { z?: number }).z, w: (value as { w?: number }).w } : value;
                expect(sameValue(payload[key], plain), `${key}: sent ${JSON.stringify(payload[key])}`).toBe(true);
              }
            });
          }),
          { seed: SEED, numRuns: 15 },
        );
      }, 60_000);

      it('refuses out-of-range and wrongly typed values from send() and sendAsync() with ACTOR_PAYLOAD_INVALID, enqueuing nothing (property)', async () => {
        const before = refs.map((r) => engine.view(Receiver, r).got);
        await fc.assert(
          fc.asyncProperty(bad, async ({ key, payload }) => {
            const expected = { code: 'ACTOR_PAYLOAD_INVALID', message: expect.stringContaining(`message Issue15Probe: field ${key}`) };
            expect(() => engine.send(refs[0]!, Probe, payload as never)).toThrowError(expect.objectContaining(expected));
            await expect(engine.sendAsync(refs[1]!, Probe, payload as never)).rejects.toMatchObject(expected);
          }),
          { seed: SEED, numRuns: 40 },
        );
        await engine.step();
        expect(refs.map((r) => engine.view(Receiver, r).got)).toEqual(before);
      }, 60_000);

      it('refuses a u32 of 2^40 and a 10 MB string with a short message naming type, field and range', () => {
        let error: unknown;
        try {
          engine.send(refs[0]!, Probe, { ...ok, u: 2 ** 40 });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ActorError);
        expect((error as Error).message).toBe('message Issue15Probe: field u = 1099511627776, expected an integer in [0, 4294967295] (u32)');
        try {
          engine.send(refs[0]!, Probe, { ...ok, f: 'x'.repeat(10_000_000) } as never);
        } catch (e) {
          error = e;
        }
        expect((error as Error).message.length).toBeLessThan(200);
        expect(() => engine.send('y'.repeat(10_000_000) as never, Probe, ok)).toThrowError(expect.objectContaining({ code: 'ENGINE_INVALID_ARGUMENT', message: expect.stringMatching(/^send\("y{80}"… \(10000000 characters\), Issue15Probe\)/) }));
      });

      it('refuses look-alike record types from send(), sendAsync() and on() with ACTOR_RECORD_TYPE_INVALID, not a TypeError', async () => {
        const lookAlike = { role: 'message', name: Probe.name, id: Probe.id, lanes: 0 };
        const code = { code: 'ACTOR_RECORD_TYPE_INVALID' };
        expect(() => engine.send(refs[0]!, lookAlike as never, ok)).toThrowError(expect.objectContaining(code));
        expect(() => engine.send(refs[0]!, { ...Probe }, ok)).toThrowError(expect.objectContaining(code));
        expect(() => engine.send(refs[0]!, Probed as never, ok)).toThrowError(/event Issue15Probed is an event type, not a message type/);
        await expect(engine.sendAsync(refs[0]!, lookAlike as never, ok)).rejects.toMatchObject(code);
        expect(() => engine.on({ role: 'event', name: 'Issue15Probed' } as never, () => {})).toThrowError(expect.objectContaining(code));
        expect(() => engine.on(undefined as never, () => {})).toThrowError(expect.objectContaining(code));
        expect(defineEvent('Issue15Probed', { n: 'u32' })).toBe(Probed);
      });

      it('refuses bad ctx.send/ctx.emit input in handlers as typed handler errors, enqueuing nothing', async () => {
        const [sender, target, emitter, forger, emitForger] = refs;
        const events: number[] = [];
        const off = engine.on(Probed, (batch) => events.push(batch.count));
        const reports: HandlerErrorReport[] = [];
        const unsubscribe = engine.onHandlerError((r) => reports.push(r));
        try {
          const gotBefore = engine.view(Receiver, target!).got;
          const sentBefore = engine.stats().messagesSent;
          engine.view(Receiver, sender!).mode = 'sendBig';
          engine.view(Receiver, sender!).target = target!;
          engine.view(Receiver, emitter!).mode = 'emitNegative';
          engine.view(Receiver, forger!).mode = 'sendLookAlike';
          engine.view(Receiver, forger!).target = target!;
          engine.view(Receiver, emitForger!).mode = 'emitLookAlike';
          await engine.step();
          await engine.step();
          // Every tick of the two: the handler misbehaves on each.
          const twice = (text: string) => [expect.stringContaining(text), expect.stringContaining(text)];
          const byActor = (ref: ActorRef) => reports.filter((r) => r.actor === ref).map((r) => r.message);
          expect(byActor(sender!)).toEqual(twice('ActorError: message Issue15Probe: field u = 1099511627776, expected an integer in [0, 4294967295] (u32)'));
          expect(byActor(emitter!)).toEqual(twice('ActorError: event Issue15Probed: field n = -1, expected an integer in [0, 4294967295] (u32)'));
          expect(byActor(forger!)).toEqual(twice('ActorError: ctx.send(): message Issue15Probe is not the one defineMessage() returned'));
          expect(byActor(emitForger!)).toEqual(twice('ActorError: ctx.emit(): event Issue15Probed is not the one defineEvent() returned'));
          expect(engine.view(Receiver, target!).got).toBe(gotBefore);
          expect(engine.stats().messagesSent).toBe(sentBefore);
          expect(events).toEqual([]);
        } finally {
          off();
          unsubscribe();
          for (const ref of refs) engine.view(Receiver, ref).mode = 'idle';
        }
      }, 60_000);
    });
  }
});
