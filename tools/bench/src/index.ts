export { createPrng, type Prng } from './prng.js';
export { summarize, percentile, type SampleStats } from './stats.js';
export { sink, sinkValue } from './sink.js';
export { toUnit, type TimedUnit, type Workload } from './measure.js';
export { benchLine, humanTable, ratioOf, type BenchRecord, type Better } from './report.js';
export {
  createBenchSuite,
  type BenchSuite,
  type BenchSuiteOptions,
  type CompareCase,
  type Contender,
  type MeasuredCase,
} from './suite.js';
