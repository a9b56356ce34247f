/**
 * Per-tick cost of sealing a snapshot and applying retention (recent 600, every 60, keepEvery 60:
 * ten seconds at 60 Hz plus one snapshot a second for the last minute), at steady state where
 * every seal drops one snapshot. Peers keep the same ticks with retention written by hand for
 * contiguous ticks only (arithmetic instead of our general two-list bookkeeping): an `immutable`
 * Map keyed by tick, and a plain JS Map. Then `get` of a retained tick, same structures.
 */
import { createBenchSuite, createPrng } from '@concurrengine/bench-harness';
import { describeRetention, Timeline } from '@concurrengine/lifecycle';
import { Map as ImmutableMap } from 'immutable';

const SEED = 20250101;
const RECENT = 600;
const EVERY = 60;
const KEEP_EVERY = 60;
const WARM_TICKS = 5_000;
// Keyframes older than the window: the window always holds RECENT / EVERY of them.
const ARCHIVED = KEEP_EVERY - RECENT / EVERY;

interface Frame {
  readonly page: number;
}
const frames: Frame[] = Array.from({ length: 1024 }, (_, page) => ({ page }));
let released = 0;
const release = (frame: Frame): void => {
  released += frame.page & 1;
};

const ours = new Timeline<Frame>({ retention: { recent: RECENT, every: EVERY, keepEvery: KEEP_EVERY }, release });
let oursTick = 0;

/** Hand-written retention for contiguous ticks, shared by both peers through `remove`. */
function retireFor(tick: number, remove: (tick: number) => void): void {
  const leaving = tick - RECENT;
  if (leaving < 0) return;
  if (leaving % EVERY !== 0) remove(leaving);
  else if (leaving - ARCHIVED * EVERY >= 0) remove(leaving - ARCHIVED * EVERY);
}

let imm = ImmutableMap<number, Frame>();
let immTick = 0;
const immRemove = (tick: number): void => {
  release(imm.get(tick)!);
  imm = imm.delete(tick);
};

const plain = new Map<number, Frame>();
let plainTick = 0;
const plainRemove = (tick: number): void => {
  release(plain.get(tick)!);
  plain.delete(tick);
};

const sealOurs = (ops: number): number => {
  for (let i = 0; i < ops; i++, oursTick++) ours.seal(oursTick, frames[oursTick & 1023]!);
  return ours.size;
};
const sealImmutable = (ops: number): number => {
  for (let i = 0; i < ops; i++, immTick++) {
    imm = imm.set(immTick, frames[immTick & 1023]!);
    retireFor(immTick, immRemove);
  }
  return imm.size;
};
const sealPlain = (ops: number): number => {
  for (let i = 0; i < ops; i++, plainTick++) {
    plain.set(plainTick, frames[plainTick & 1023]!);
    retireFor(plainTick, plainRemove);
  }
  return plain.size;
};
// Start every contender at steady state (full window, full archive).
sealOurs(WARM_TICKS);
sealImmutable(WARM_TICKS);
sealPlain(WARM_TICKS);
const bound = describeRetention(ours.retention);
if (ours.size !== imm.size || ours.size !== plain.size || ours.size > bound) {
  throw new Error(`retention differs: ours ${ours.size}, immutable ${imm.size}, Map ${plain.size}, bound ${bound}`);
}

// Lookups: 4096 seeded retained ticks, from a frozen state of each structure.
const prng = createPrng(SEED);
const retained = ours.ticks();
const lookups = Array.from({ length: 4096 }, () => retained[Math.floor(prng.next() * retained.length)]!);
const getter = new Timeline<Frame>({ retention: { recent: RECENT, every: EVERY, keepEvery: KEEP_EVERY } });
let immGet = ImmutableMap<number, Frame>();
for (let t = 0; t <= retained.at(-1)!; t++) getter.seal(t, frames[t & 1023]!);
for (const t of getter.ticks()) immGet = immGet.set(t, frames[t & 1023]!);
let q = 0;

await createBenchSuite({ package: 'lifecycle', seed: SEED })
  .compare({
    case: 'seal-retention-600+60',
    unit: 'ns/op',
    ours: { name: 'Timeline.seal', run: sealOurs },
    peer: { name: 'immutable 5.2.1 Map + manual retention', run: sealImmutable },
  })
  .compare({
    case: 'seal-retention-600+60-vs-js-map',
    unit: 'ns/op',
    ours: { name: 'Timeline.seal', run: sealOurs },
    peer: { name: 'JS Map + manual retention', run: sealPlain },
  })
  .compare({
    case: 'get-retained',
    unit: 'ns/op',
    ours: {
      name: 'Timeline.get',
      run: (ops) => {
        let s = 0;
        for (let i = 0; i < ops; i++) s += getter.get(lookups[q++ & 4095]!).page;
        return s;
      },
    },
    peer: {
      name: 'immutable 5.2.1 Map.get',
      run: (ops) => {
        let s = 0;
        for (let i = 0; i < ops; i++) s += immGet.get(lookups[q++ & 4095]!)!.page;
        return s;
      },
    },
  })
  .run();
console.log(`released ${released}; retained ${ours.size} of at most ${bound}`);
