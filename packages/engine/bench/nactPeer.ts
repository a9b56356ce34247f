/**
 * The nact peer of the message benchmarks: one stateless actor per receiver; a round dispatches
 * one message to each and resolves when every one of them has handled it.
 */
import * as nact from 'nact';

export interface NactPeer {
  /** One message to every actor; resolves when all were handled. */
  round(): Promise<void>;
  /** Messages handled so far. */
  handled(): number;
  stop(): void;
}

export function createNactPeer(actors: number): NactPeer {
  const system = nact.start();
  let handled = 0;
  let roundDone: (() => void) | undefined;
  const refs = Array.from({ length: actors }, (_, i) =>
    nact.spawnStateless(system, () => {
      if (++handled % actors === 0) roundDone?.();
    }, `a${i}`),
  );
  return {
    round: () =>
      new Promise<void>((resolve) => {
        roundDone = resolve;
        for (const actor of refs) nact.dispatch(actor, { n: 1 });
      }),
    handled: () => handled,
    stop: () => nact.stop(system),
  };
}
