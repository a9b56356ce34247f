/**
 * The tick plane against a model: records written by random producers in random segments reach
 * exactly the partition their recipient is in, each once, tier by tier and within a tier in
 * (segment, write) order — after recipients move between partitions (re-keyed in place, or routed
 * again), after a copy-out and restore, and whether a segment is routed by its producer or appended
 * by the owner. Records: [length, tier, recipient, sequence, …padding].
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createTickPlane, LaneProducer, PlaneReader, PlaneViews, TickPlane } from '../src/index.js';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`fast-check seed ${SEED} (set FC_SEED to replay)`);

const LANES = 4;
const OWN = LANES - 1;
const shape = { lengthLane: 0, tierLane: 1 };

interface Sent {
  readonly tier: number;
  readonly to: number;
  readonly seq: number;
  readonly padding: number;
}

const sentArb = (recipients: number) =>
  fc.record({ tier: fc.integer({ min: 0, max: 3 }), to: fc.integer({ min: -1, max: recipients - 1 }), seq: fc.constant(0), padding: fc.integer({ min: 0, max: 3 }) });

/** Two groups of partitions; recipient r sits in partition `where[r]` (global index). */
function groupStartsOf(sizes: readonly number[]): Int32Array {
  const starts = new Int32Array(sizes.length + 1);
  sizes.forEach((n, g) => (starts[g + 1] = starts[g]! + n));
  return starts;
}

function write(producer: LaneProducer, sent: Sent): void {
  const length = 4 + sent.padding;
  const at = producer.reserve(length);
  producer.records.set([length, sent.tier, sent.to, sent.seq], at);
  producer.records.fill(7, at + 4, at + length);
}

/** What partition p should read: the segments' records in order, to recipients in p, stably by tier. */
function expected(segments: readonly (readonly Sent[])[], where: readonly number[], partition: number): number[] {
  const all = segments.flat().filter((m) => m.to >= 0 && where[m.to] === partition);
  return [0, 1, 2, 3].flatMap((tier) => all.filter((m) => m.tier === tier).map((m) => m.seq));
}

function readAll(views: PlaneViews, parity: number, groupStarts: Int32Array, partitions: number): number[][] {
  const reader = new PlaneReader(views);
  return Array.from({ length: partitions }, (_, p) => {
    let group = 0;
    while (p >= groupStarts[group + 1]!) group++;
    const count = reader.open(parity, group, p - groupStarts[group]!);
    const seqs: number[] = [];
    for (let at = reader.next(); at >= 0; at = reader.next()) seqs.push(reader.records[at + 3]!);
    expect(seqs.length).toBe(count);
    return seqs;
  });
}

describe('tick plane', () => {
  it('delivers every record once, to its partition, in tier then segment then write order — across moves and restores', () => {
    const scenario = fc
      .record({ sizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }), recipients: fc.integer({ min: 1, max: 300 }), parity: fc.integer({ min: 0, max: 1 }) })
      .chain(({ sizes, recipients, parity }) => {
        const partitions = sizes.reduce((a, b) => a + b, 0);
        return fc.record({
          sizes: fc.constant(sizes),
          parity: fc.constant(parity),
          where: fc.array(fc.integer({ min: 0, max: partitions - 1 }), { minLength: recipients, maxLength: recipients }),
          segments: fc.array(fc.record({ lane: fc.integer({ min: 0, max: LANES - 2 }), sent: fc.array(sentArb(recipients), { maxLength: 200 }), skipped: fc.boolean() }), { maxLength: 6 }),
          outside: fc.array(sentArb(recipients), { maxLength: 8 }),
          shuffle: fc.array(fc.nat(), { minLength: recipients, maxLength: recipients }),
          window: fc.record({ group: fc.nat(), first: fc.nat(), span: fc.integer({ min: 1, max: 40 }) }),
        });
      });
    fc.assert(
      fc.property(scenario, ({ sizes, parity, where: whereIn, segments, outside, shuffle, window }) => {
        const buffers = createTickPlane({ lanes: LANES, ...shape });
        const owner = new TickPlane(buffers, OWN);
        const groupStarts = groupStartsOf(sizes);
        const partitions = groupStarts[sizes.length]!;
        let where = [...whereIn];
        const partitionOf = (records: Float64Array, at: number) => (records[at + 2]! < 0 ? -1 : where[records[at + 2]!]!);
        owner.open(parity);
        // Producers: one per lane (a thread), segments in order; a skipped one never publishes.
        const producers = Array.from({ length: LANES - 1 }, (_, lane) => new LaneProducer(new PlaneViews(buffers), lane));
        let seq = 0;
        const published: Sent[][] = [];
        let dead = 0;
        segments.forEach(({ lane, sent, skipped }, s) => {
          const producer = producers[lane]!;
          producer.begin(parity);
          const stamped = sent.map((m) => ({ ...m, seq: seq++ }));
          stamped.forEach((m) => write(producer, m));
          if (skipped) return void published.push([]); // its slot stays empty: a job that never finished
          dead += producer.end(s, groupStarts, partitionOf);
          published.push(stamped);
        });
        owner.close(parity, segments.length);
        const fromOutside = outside.map((m) => ({ ...m, seq: seq++ }));
        const lanes = fromOutside.flatMap((m) => [4 + m.padding, m.tier, m.to, m.seq, ...Array(m.padding).fill(7)]);
        dead += owner.append(parity, Float64Array.from(lanes), groupStarts, partitionOf);
        published.push(fromOutside);
        const live = published.flat();
        expect(dead).toBe(live.filter((m) => m.to < 0).length);
        expect(owner.tierCounts(parity)).toEqual([0, 1, 2, 3].map((t) => live.filter((m) => m.tier === t && m.to >= 0).length));
        const check = () => readAll(owner.views, parity, groupStarts, partitions).forEach((seqs, p) => expect(seqs).toEqual(expected(published, where, p)));
        check();

        // Recipients of a window of one group move among its partitions: re-keyed in place.
        const group = window.group % sizes.length;
        const first = window.first % sizes[group]!;
        const end = Math.min(sizes[group]!, first + window.span);
        const lo = groupStarts[group]! + first;
        const hi = groupStarts[group]! + end;
        const inWindow = where.map((p, r) => (p >= lo && p < hi ? r : -1)).filter((r) => r >= 0);
        const moved = [...where];
        inWindow.forEach((r, i) => (moved[r] = lo + (shuffle[i]! % (hi - lo))));
        where = moved;
        // `moved` takes the partition within the group: the groups before it may have grown since.
        const indexInGroup = (records: Float64Array, at: number) => (records[at + 2]! < 0 ? -1 : where[records[at + 2]!]! - groupStarts[group]!);
        expect(owner.moved(parity, group, first, end, indexInGroup)).toBe(true);
        check();

        // A recipient moving out of the window is refused; routing the parity again repairs it.
        const outsider = where.findIndex((p) => p >= lo && p < hi);
        const elsewhere = sizes[group]! > end ? hi : first > 0 ? groupStarts[group]! : -1; // same group, out of the window
        if (outsider >= 0 && elsewhere >= 0) {
          where = [...where];
          where[outsider] = elsewhere;
          if (published.flat().some((m) => m.to === outsider)) expect(owner.moved(parity, group, first, end, indexInGroup)).toBe(false);
          expect(owner.reroute(parity, groupStarts, partitionOf)).toBe(0); // dead letters were counted when first routed
          check();
        }

        // Copy out (a sealed tick) and restore into the other parity: same deliveries.
        const sealed = owner.gather(parity);
        owner.replace(1 - parity, sealed, groupStarts, partitionOf);
        readAll(owner.views, 1 - parity, groupStarts, partitions).forEach((seqs, p) => expect(seqs).toEqual(expected(published, where, p)));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('routes segments far larger than its first scratch (thousands of records, many partitions)', () => {
    const buffers = createTickPlane({ lanes: 2, ...shape });
    const owner = new TickPlane(buffers, 1);
    owner.open(0);
    const producer = new LaneProducer(new PlaneViews(buffers), 0);
    producer.begin(0);
    const sent = Array.from({ length: 20_000 }, (_, seq) => ({ tier: seq % 4, to: (seq * 7919) % 5_000, seq, padding: seq % 3 }));
    sent.forEach((m) => write(producer, m));
    const where = Array.from({ length: 5_000 }, (_, r) => r % 313);
    const partitionOf = (records: Float64Array, at: number) => where[records[at + 2]!]!;
    expect(producer.end(0, [0, 313], partitionOf)).toBe(0);
    owner.close(0, 1);
    readAll(owner.views, 0, Int32Array.from([0, 313]), 313).forEach((seqs, p) => expect(seqs).toEqual(expected([sent], where, p)));
  });

  it('refuses a corrupt record with a typed error and publishes nothing for that segment', () => {
    const buffers = createTickPlane({ lanes: 2, ...shape });
    const owner = new TickPlane(buffers, 1);
    owner.open(0);
    const producer = new LaneProducer(new PlaneViews(buffers), 0);
    producer.begin(0);
    const at = producer.reserve(4);
    producer.records.set([9, 0, 0, 0], at); // claims 9 lanes, has 4
    expect(() => producer.end(0, [0, 1], () => 0)).toThrow(expect.objectContaining({ code: 'CHANNEL_RECORD_INVALID' }));
    owner.close(0, 1);
    expect(new PlaneReader(owner.views).open(0, 0, 0)).toBe(0);
    producer.begin(0);
    producer.records.set([4, 5, 0, 0], producer.reserve(4)); // tier 5
    expect(() => producer.end(0, [0, 1], () => 0)).toThrow(/tier 5/);
    expect(() => createTickPlane({ lanes: 0, ...shape })).toThrow(expect.objectContaining({ code: 'CHANNEL_INVALID_OPTION' }));
  });
});

describe('tick plane re-keying', () => {
  it('keeps a record whose recipient is gone in the moved range (its reader counts it), and re-keys by the index within the group', () => {
    const buffers = createTickPlane({ lanes: 2, ...shape });
    const owner = new TickPlane(buffers, 1);
    owner.open(0);
    const producer = new LaneProducer(new PlaneViews(buffers), 0);
    producer.begin(0);
    // Group 0 has 2 partitions, group 1 has 4; recipients 0..5 sit in group 1's partitions 0..3.
    const where = [2, 3, 4, 5, 2, 3];
    [0, 1, 2, 3, 4, 5].forEach((to) => write(producer, { tier: 2, to, seq: to, padding: 0 }));
    producer.end(0, [0, 2, 6], (r, at) => where[r[at + 2]!]!);
    owner.close(0, 1);
    // Group 0 grew to 3 partitions since (global numbers shifted by one); in group 1, recipient 0
    // moved from its partition 0 to 3, recipient 3 from 3 to 0, and recipient 1 is gone.
    const local = [3, -1, 2, 0, 0, 1];
    expect(owner.moved(0, 1, 0, 4, (r, at) => local[r[at + 2]!]!)).toBe(true);
    const reader = new PlaneReader(owner.views);
    const seen = [0, 1, 2, 3].map((index) => {
      reader.open(0, 1, index);
      const out: number[] = [];
      for (let at = reader.next(); at >= 0; at = reader.next()) out.push(reader.records[at + 3]!);
      return out;
    });
    expect(seen).toEqual([[1, 3, 4], [5], [2], [0]]); // the gone one (1) in the range's first partition, write order kept
  });
});
