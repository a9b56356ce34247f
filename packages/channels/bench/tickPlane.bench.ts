/**
 * The tick plane in one thread: 100k messages a tick from 8 sending jobs to 100k recipients on 98
 * pages, each written, routed (by page and tier) and read back page by page in merge order. Peer:
 * what a hand-written engine does — a message object per send, pushed onto its recipient page's
 * array per tier, read back the same way. Same seeded recipients and tiers, same work per message
 * read (`sum = (sum + recipient) | 0`). One op is one tick: 100k messages written, routed and read.
 */
import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';

import { createTickPlane, LaneProducer, PlaneReader, PlaneViews, TickPlane } from '../src/index.js';

const MESSAGES = 100_000;
const JOBS = 8;
const PAGE = 1024;
const PAGES = Math.ceil(MESSAGES / PAGE);
const prng = createPrng(0x9a7e);
const recipients = Int32Array.from({ length: MESSAGES }, () => Math.floor(prng.next() * MESSAGES));
const tiers = Int32Array.from({ length: MESSAGES }, () => (prng.next() < 0.9 ? 2 : Math.floor(prng.next() * 4)));

const buffers = createTickPlane({ lanes: 2, lengthLane: 1, tierLane: 2 });
const owner = new TickPlane(buffers, 1);
const views = new PlaneViews(buffers);
const producer = new LaneProducer(views, 0);
const reader = new PlaneReader(views);
const groups = [0, PAGES];
const pageOf = (records: Float64Array, at: number) => (records[at + 3]! / PAGE) | 0;

function ours(ops: number): number {
  let sum = 0;
  for (let round = 0; round < ops; round++) {
    owner.open(0);
    const perJob = MESSAGES / JOBS;
    for (let job = 0; job < JOBS; job++) {
      producer.begin(0);
      for (let i = job * perJob; i < (job + 1) * perJob; i++) {
        const at = producer.reserve(5);
        const r = producer.records;
        r[at] = 3; // op
        r[at + 1] = 5; // length
        r[at + 2] = tiers[i]!;
        r[at + 3] = recipients[i]!;
        r[at + 4] = i; // payload
      }
      producer.end(job, groups, pageOf);
    }
    owner.close(0, JOBS);
    for (let page = 0; page < PAGES; page++) {
      if (reader.open(0, 0, page) === 0) continue;
      for (let at = reader.next(); at >= 0; at = reader.next()) sum = (sum + reader.records[at + 3]!) | 0;
    }
  }
  return sum;
}

interface Message {
  readonly tier: number;
  readonly to: number;
  readonly payload: number;
}
const buckets: Message[][] = Array.from({ length: PAGES * 4 }, () => []);
function arrays(ops: number): number {
  let sum = 0;
  for (let round = 0; round < ops; round++) {
    for (let i = 0; i < MESSAGES; i++) {
      const to = recipients[i]!;
      buckets[((to / PAGE) | 0) * 4 + tiers[i]!]!.push({ tier: tiers[i]!, to, payload: i });
    }
    for (let page = 0; page < PAGES; page++) {
      for (let tier = 0; tier < 4; tier++) {
        const bucket = buckets[page * 4 + tier]!;
        for (const m of bucket) sum = (sum + m.to) | 0;
        bucket.length = 0;
      }
    }
  }
  return sum;
}

await createBenchSuite({ package: 'channels', seed: 0x9a7e })
  .compare({ case: 'tick plane: write, route and read 100k messages by page and tier (op = one tick of 100k)', unit: 'ops/s', ours: { name: 'tick plane', run: ours }, peer: { name: 'object per message, array per page and tier', run: arrays } })
  .run();
