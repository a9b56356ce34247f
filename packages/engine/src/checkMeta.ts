/**
 * A stored tick's meta is outside input: a store's checksums say the bytes are the ones written,
 * not that a writer wrote sense (a crafted manifest recomputes them). Before any of it reaches the
 * world, every field the engine uses is checked for type and range and against the others — counts
 * are integers ≥ 0 within the actors package's limits, slots below the high-water mark, free lists
 * without duplicates, counts that add up — so a bad meta is ENGINE_SNAPSHOT_INVALID naming where
 * and which field, never a RangeError deep in a load or a world that is silently wrong.
 */
import { isActorRef } from '@concurrengine/actors';

import { EngineError } from './errors.js';

/** Slots a kind may hold and generations a handle may reach (actors' `ref.ts`: a ref's fields). */
const MAX_SLOTS = 2 ** 24;
const MAX_GENERATION = 2 ** 16;
/** Priority tiers of the mailbox (critical, high, normal, low). */
const TIERS = 4;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A value for a message, at most ~100 characters. */
function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 100 ? `${text.slice(0, 97)}…` : text;
}

class MetaCheck {
  constructor(readonly where: string) {}

  fail(field: string, value: unknown, expected: string): never {
    throw new EngineError('ENGINE_SNAPSHOT_INVALID', `${this.where}: the meta's ${field} is ${show(value)}; expected ${expected}`);
  }

  int(field: string, value: unknown, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) this.fail(field, value, `an integer from ${min} to ${max}`);
    return value;
  }

  object(field: string, value: unknown): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, value, 'an object');
    return value as Record<string, unknown>;
  }

  array(field: string, value: unknown, maxLength = Infinity): readonly unknown[] {
    if (!Array.isArray(value) || value.length > maxLength) this.fail(field, Array.isArray(value) ? `an array of ${value.length}` : value, `an array${Number.isFinite(maxLength) ? ` of at most ${maxLength}` : ''}`);
    return value;
  }

  /** Distinct integers in [0, below). */
  distinct(field: string, value: unknown, below: number): readonly number[] {
    const list = this.array(field, value, below);
    const seen = new Uint8Array(below);
    list.forEach((v, i) => {
      const n = this.int(`${field}[${i}]`, v, 0, below - 1);
      if (seen[n]) this.fail(`${field}[${i}]`, v, 'no value listed twice');
      seen[n] = 1;
    });
    return list as readonly number[];
  }

  /** Base64 of float64 lanes. */
  lanes(field: string, value: unknown): void {
    if (typeof value !== 'string' || !BASE64.test(value) || Buffer.byteLength(value, 'base64') % 8 !== 0) this.fail(field, value, 'base64 of a whole number of float64 lanes');
  }

  finite(field: string, value: unknown, min: number, max = Infinity): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) this.fail(field, value, `a number from ${min}${Number.isFinite(max) ? ` to ${max}` : ''}`);
    return value;
  }
}

function checkKind(c: MetaCheck, value: unknown, k: number): void {
  const at = `kinds[${k}]`;
  const kind = c.object(at, value);
  if (typeof kind['name'] !== 'string') c.fail(`${at}.name`, kind['name'], 'a string');
  c.int(`${at}.layoutVersion`, kind['layoutVersion'], 1, 2 ** 31);
  const pageSize = c.int(`${at}.pageSize`, kind['pageSize'], 1, MAX_SLOTS);
  c.int(`${at}.pageBytes`, kind['pageBytes'], 1, 2 ** 31);
  const highWater = c.int(`${at}.highWater`, kind['highWater'], 0, MAX_SLOTS);
  c.int(`${at}.pages`, kind['pages'], Math.ceil(highWater / pageSize), Math.ceil(highWater / pageSize));
  const live = c.int(`${at}.live`, kind['live'], 0, highWater);
  const freeSlots = c.distinct(`${at}.freeSlots`, kind['freeSlots'], highWater);
  if (live + freeSlots.length !== highWater) c.fail(`${at}.freeSlots`, `${freeSlots.length} slots`, `${highWater - live}: every slot below highWater ${highWater} holds one of the ${live} live actors or is free`);
  const handles = c.object(`${at}.handles`, kind['handles']);
  const count = c.int(`${at}.handles.count`, handles['count'], live, MAX_SLOTS);
  const free = c.distinct(`${at}.handles.free`, handles['free'], count);
  if (live + free.length !== count) c.fail(`${at}.handles.free`, `${free.length} handles`, `${count - live}: every handle below count ${count} names one of the ${live} live actors or is free`);
  const generations = c.array(`${at}.handles.generations`, handles['generations'], free.length);
  if (generations.length !== free.length) c.fail(`${at}.handles.generations`, `${generations.length} generations`, `one per free handle (${free.length})`);
  generations.forEach((g, i) => c.int(`${at}.handles.generations[${i}]`, g, 0, MAX_GENERATION - 1));
}

function checkJournal(c: MetaCheck, value: unknown, tick: number, kinds: number): void {
  c.array('journal', value).forEach((raw, i) => {
    const at = `journal[${i}]`;
    const e = c.object(at, raw);
    c.int(`${at}.tick`, e['tick'], 0, tick);
    switch (e['kind']) {
      case 'send':
        return c.lanes(`${at}.lanes`, e['lanes']);
      case 'spawn':
        c.int(`${at}.kindId`, e['kindId'], 0, kinds - 1);
        return c.lanes(`${at}.lanes`, e['lanes']);
      case 'despawn':
        if (!isActorRef(e['ref'])) c.fail(`${at}.ref`, e['ref'], 'an actor ref');
        return;
      case 'drill':
        c.finite(`${at}.handlerThrowRate`, e['handlerThrowRate'], 0, 1);
        c.finite(`${at}.workerExitRate`, e['workerExitRate'], 0, 1);
        return;
      default:
        c.fail(`${at}.kind`, e['kind'], '"send", "spawn", "despawn" or "drill"');
    }
  });
}

function checkSupervision(c: MetaCheck, value: unknown, kinds: number): void {
  const s = c.object('supervision', value);
  c.array('supervision.groups', s['groups'], kinds).forEach((g, i) => {
    if (g !== null && (typeof g !== 'string' || !BASE64.test(g))) c.fail(`supervision.groups[${i}]`, g, 'null or base64');
  });
  c.array('supervision.due', s['due']).forEach((d, i) => {
    const pair = c.array(`supervision.due[${i}]`, d, 2);
    c.int(`supervision.due[${i}][0]`, pair[0], 0, Number.MAX_SAFE_INTEGER);
    c.array(`supervision.due[${i}][1]`, pair[1]).forEach((ref, j) => {
      if (!isActorRef(ref)) c.fail(`supervision.due[${i}][1][${j}]`, ref, 'an actor ref');
    });
  });
  // null: a kind whose group never restarted (a hole in the writer's array).
  c.array('supervision.groupRestartTicks', s['groupRestartTicks'], kinds).forEach((ticks, i) =>
    ticks === null ? undefined : c.array(`supervision.groupRestartTicks[${i}]`, ticks).forEach((t, j) => c.int(`supervision.groupRestartTicks[${i}][${j}]`, t, 0, Number.MAX_SAFE_INTEGER)),
  );
  const counters = c.object('supervision.counters', s['counters']);
  for (const name of ['restarts', 'suspended', 'removed', 'groupRestarts', 'escalations', 'restartMs']) c.finite(`supervision.counters.${name}`, counters[name], 0);
}

/**
 * Checks every field of a parsed meta the engine reads (beyond its format and spatial fields,
 * which `decodeMeta` checks itself).
 * @throws EngineError ENGINE_SNAPSHOT_INVALID naming `where`, the field, its value (truncated) and what was expected
 */
export function checkMetaFields(meta: Record<string, unknown>, where: string): void {
  const c = new MetaCheck(where);
  const tick = c.int('tick', meta['tick'], 0, Number.MAX_SAFE_INTEGER);
  c.finite('seed', meta['seed'], -Number.MAX_VALUE);
  if (meta['tickRateHz'] !== undefined && !(typeof meta['tickRateHz'] === 'number' && meta['tickRateHz'] > 0 && Number.isFinite(meta['tickRateHz']))) c.fail('tickRateHz', meta['tickRateHz'], 'a positive number');
  if (meta['program'] !== undefined && typeof meta['program'] !== 'string') c.fail('program', meta['program'], 'a string');
  const kinds = c.array('kinds', meta['kinds']);
  kinds.forEach((kind, k) => checkKind(c, kind, k));
  const pending = c.object('pending', meta['pending']);
  c.int('pending.count', pending['count'], 0, Number.MAX_SAFE_INTEGER);
  const depth = c.array('pending.depth', pending['depth'], TIERS);
  if (depth.length !== TIERS) c.fail('pending.depth', depth, `${TIERS} counts, one per priority tier`);
  depth.forEach((n, i) => c.int(`pending.depth[${i}]`, n, 0, Number.MAX_SAFE_INTEGER));
  c.lanes('pending.lanes', pending['lanes']);
  checkJournal(c, meta['journal'], tick, kinds.length);
  if (meta['supervision'] !== undefined) checkSupervision(c, meta['supervision'], kinds.length);
  if (meta['controls'] !== undefined) {
    const controls = c.object('controls', meta['controls']);
    c.finite('controls.handlerThrowRate', controls['handlerThrowRate'], 0, 1);
    c.finite('controls.workerExitRate', controls['workerExitRate'], 0, 1);
  }
  if (meta['supervisionOptions'] !== undefined) c.object('supervisionOptions', meta['supervisionOptions']);
}
