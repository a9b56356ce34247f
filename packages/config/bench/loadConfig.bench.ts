/**
 * What validation costs: loading the product brief's file (smol-toml parse + key table +
 * location scan + defaults + freeze) against smol-toml's parse alone, on the same text.
 * The input is the fixed example file, so the seed only labels the run.
 */
import { readFileSync } from 'node:fs';
import { createBenchSuite } from '@concurrengine/bench-harness';
import { loadConfig } from '@concurrengine/config';
import { parse } from 'smol-toml';

const text = readFileSync(new URL('../../../examples/concurrengine.toml', import.meta.url), 'utf8');

await createBenchSuite({ package: 'config', seed: 1 })
  .compare({
    case: 'parse+validate brief TOML',
    unit: 'µs/op',
    ours: {
      name: 'loadConfig',
      run: (ops) => {
        let threads = 0;
        for (let i = 0; i < ops; i++) threads += loadConfig({ text, availableParallelism: 2 }).config.engine.threads;
        return threads;
      },
    },
    peer: {
      name: 'smol-toml parse',
      run: (ops) => {
        let keys = 0;
        for (let i = 0; i < ops; i++) keys += Object.keys(parse(text)).length;
        return keys;
      },
    },
  })
  .run();
