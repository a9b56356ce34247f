/**
 * Per-actor randomness that does not depend on which thread runs the actor: the stream of actor
 * `ref` at tick `tick` is a pure function of (world seed, ref, tick). A 32-bit hash mixes the three
 * into a seed; draws are splitmix32 steps from it.
 */
export interface ActorRandom {
  /** Starts the stream of one actor at one tick. */
  reset(worldSeed: number, ref: number, tick: number): void;
  /** A float in [0, 1). */
  next(): number;
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function createActorRandom(): ActorRandom {
  let state = 0;
  return {
    reset(worldSeed, ref, tick) {
      const lo = ref % 4294967296;
      const hi = Math.floor(ref / 4294967296);
      state = mix(mix(mix(worldSeed >>> 0) ^ lo) ^ mix(hi + 0x9e3779b9)) ^ mix(tick >>> 0);
    },
    next() {
      state = (state + 0x9e3779b9) >>> 0;
      return mix(state) / 4294967296;
    },
  };
}
