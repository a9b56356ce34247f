/**
 * A benchmark suite for one package: cases that compare our code with a named peer in the same
 * run (interleaved, so machine drift hits both sides alike), or measure against a fixed limit.
 */
import { calibrate, timeOnce, toUnit, type TimedUnit, type Workload } from './measure.js';
import { benchLine, humanTable, makeRecord, type BenchRecord, type Better } from './report.js';
import { sink, sinkValue } from './sink.js';
import { summarize } from './stats.js';

/** A named function under measurement. */
export interface Contender {
  readonly name: string;
  /** Runs `ops` operations; whatever it returns goes to the sink. */
  readonly run: Workload;
}

interface CaseTiming {
  /** Samples per side (default 15; `--long` multiplies by 4). */
  readonly samples?: number;
  /** Target length of one sample in ms (default 40). */
  readonly sampleMs?: number;
  /** Upper bound on operations per sample, for workloads with a fixed input size. */
  readonly maxOps?: number;
}

/** A case that runs ours and a peer on the same data. */
export interface CompareCase extends CaseTiming {
  readonly case: string;
  readonly unit: TimedUnit;
  readonly ours: Contender;
  readonly peer: Contender;
}

/**
 * A case that measures itself and reports one value per sample (for example "p99 tick time").
 * `sample()` returns the sample's value in `unit`.
 */
export interface MeasuredCase {
  readonly case: string;
  readonly unit: string;
  readonly better: Better;
  readonly samples?: number;
  readonly ours: { readonly name: string; readonly sample: () => number | Promise<number> };
  readonly peer?: { readonly name: string; readonly sample: () => number | Promise<number> };
  /** The target when there is no peer. */
  readonly limit?: number;
}

export interface BenchSuite {
  /** Adds a timed comparison with a peer. */
  compare(spec: CompareCase): BenchSuite;
  /** Adds a case that produces its own sample values. */
  measure(spec: MeasuredCase): BenchSuite;
  /** Runs every case in order, prints the table and the BENCH lines, and returns the records. */
  run(): Promise<readonly BenchRecord[]>;
}

export interface BenchSuiteOptions {
  /** Package name without scope, as it appears in the BENCH line. */
  readonly package: string;
  /** Seed of the data the cases draw (printed with every record). */
  readonly seed: number;
  /** Defaults to `process.argv.includes('--long')`. */
  readonly long?: boolean;
  /** Where output goes (defaults to stdout). */
  readonly write?: (line: string) => void;
}

const DEFAULT_SAMPLES = 15;
const DEFAULT_SAMPLE_MS = 40;

/** Creates an empty suite. */
export function createBenchSuite(options: BenchSuiteOptions): BenchSuite {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const long = options.long ?? process.argv.includes('--long');
  const scale = long ? 4 : 1;
  const jobs: Array<() => Promise<BenchRecord>> = [];

  const runCompare = async (spec: CompareCase): Promise<BenchRecord> => {
    const samples = (spec.samples ?? DEFAULT_SAMPLES) * scale;
    const targetMs = spec.sampleMs ?? DEFAULT_SAMPLE_MS;
    const maxOps = spec.maxOps ?? 1e9;
    const oursOps = calibrate(spec.ours.run, targetMs, maxOps, sink);
    const peerOps = calibrate(spec.peer.run, targetMs, maxOps, sink);
    const ours: number[] = [];
    const peer: number[] = [];
    // Alternate the two sides so a slow patch of the machine lands on both.
    for (let i = 0; i < samples; i++) {
      ours.push(toUnit(spec.unit, timeOnce(spec.ours.run, oursOps, sink), oursOps));
      peer.push(toUnit(spec.unit, timeOnce(spec.peer.run, peerOps, sink), peerOps));
    }
    return makeRecord({
      pkg: options.package,
      caseName: spec.case,
      unit: spec.unit,
      better: spec.unit === 'ops/s' ? 'higher' : 'lower',
      ours: summarize(ours),
      peerName: spec.peer.name,
      peer: summarize(peer),
      seed: options.seed,
    });
  };

  const runMeasured = async (spec: MeasuredCase): Promise<BenchRecord> => {
    const samples = (spec.samples ?? DEFAULT_SAMPLES) * scale;
    const ours: number[] = [];
    const peer: number[] = [];
    await spec.ours.sample(); // warm-up
    if (spec.peer) await spec.peer.sample();
    for (let i = 0; i < samples; i++) {
      ours.push(await spec.ours.sample());
      if (spec.peer) peer.push(await spec.peer.sample());
    }
    return makeRecord({
      pkg: options.package,
      caseName: spec.case,
      unit: spec.unit,
      better: spec.better,
      ours: summarize(ours),
      peerName: spec.peer?.name ?? null,
      ...(spec.peer ? { peer: summarize(peer) } : {}),
      ...(spec.limit !== undefined ? { limit: spec.limit } : {}),
      seed: options.seed,
    });
  };

  const suite: BenchSuite = {
    compare(spec) {
      jobs.push(() => runCompare(spec));
      return suite;
    },
    measure(spec) {
      jobs.push(() => runMeasured(spec));
      return suite;
    },
    async run() {
      const records: BenchRecord[] = [];
      for (const job of jobs) {
        const record = await job();
        records.push(record);
        write(benchLine(record));
      }
      write('');
      write(humanTable(records));
      write(`node ${process.version}, seed ${options.seed}, sink ${sinkValue()}`);
      return records;
    },
  };
  return suite;
}
