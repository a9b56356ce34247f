/**
 * Test doubles, published as `@concurrengine/telemetry/testing`: a mutable fake source, a manual
 * clock, and a small parser of the Prometheus text format to assert on what `/metrics` served.
 */
import type { Clock } from './clock.js';
import type { ActorKindStats, PartitionStats, QueueStats, RetainedStats, SnapshotStats, SpatialIndexStats, SupervisionStats, TelemetrySource, ThreadStats } from './source.js';

/** A source whose readings are plain mutable fields; set them, then scrape. */
export interface FakeSource extends TelemetrySource {
  threadStats: ThreadStats[];
  queueStats: QueueStats[];
  partitionStats: PartitionStats[];
  actorStats: ActorKindStats[];
  lifecycleState: string;
  transitionCounts: Record<string, number>;
  /** `undefined` (the default): nothing supervised, no snapshots, no retention, no spatial index. */
  supervisionStats: SupervisionStats | undefined;
  snapshotStats: SnapshotStats | undefined;
  retainedStats: RetainedStats | undefined;
  spatialStats: SpatialIndexStats | undefined;
  /** When set, every member throws it (to test failure reporting). */
  failWith: Error | undefined;
  /** How many times each member was called. */
  readonly calls: {
    threads: number;
    queues: number;
    partitions: number;
    actors: number;
    lifecycle: number;
    lifecycleTransitions: number;
    supervision: number;
    snapshots: number;
    retained: number;
    spatial: number;
  };
}

/**
 * Creates a fake source with no workers, queues, partitions or actors, in state `created` with no
 * transitions, and no supervision, snapshots, retention or spatial index.
 */
export function createFakeSource(): FakeSource {
  const calls = { threads: 0, queues: 0, partitions: 0, actors: 0, lifecycle: 0, lifecycleTransitions: 0, supervision: 0, snapshots: 0, retained: 0, spatial: 0 };
  const fake: FakeSource = {
    threadStats: [],
    queueStats: [],
    partitionStats: [],
    actorStats: [],
    lifecycleState: 'created',
    transitionCounts: {},
    supervisionStats: undefined,
    snapshotStats: undefined,
    retainedStats: undefined,
    spatialStats: undefined,
    failWith: undefined,
    calls,
    threads: () => (calls.threads++, check(), fake.threadStats),
    queues: () => (calls.queues++, check(), fake.queueStats),
    partitions: () => (calls.partitions++, check(), fake.partitionStats),
    actors: () => (calls.actors++, check(), fake.actorStats),
    lifecycle: () => (calls.lifecycle++, check(), fake.lifecycleState),
    lifecycleTransitions: () => (calls.lifecycleTransitions++, check(), fake.transitionCounts),
    supervision: () => (calls.supervision++, check(), fake.supervisionStats),
    snapshots: () => (calls.snapshots++, check(), fake.snapshotStats),
    retained: () => (calls.retained++, check(), fake.retainedStats),
    spatial: () => (calls.spatial++, check(), fake.spatialStats),
  };
  function check(): void {
    if (fake.failWith !== undefined) throw fake.failWith;
  }
  return fake;
}

/** A clock that moves only when told to. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

/** Creates a manual clock at `start` ms. */
export function createManualClock(start = 0): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
  };
}

/** One sample line of the exposition text. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A parsed exposition: `# TYPE` and `# HELP` per family, and every sample. */
export interface Exposition {
  readonly types: ReadonlyMap<string, string>;
  readonly help: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
  /** The value of the one sample with this name whose labels include `labels`; undefined if none. */
  value(name: string, labels?: Readonly<Record<string, string>>): number | undefined;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Parses Prometheus text format 0.0.4. Throws on a line it cannot read, naming it. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const meta = /^# (TYPE|HELP) (\S+) (.*)$/.exec(line);
    if (meta !== null) {
      (meta[1] === 'TYPE' ? types : help).set(meta[2] ?? '', meta[3] ?? '');
      return;
    }
    if (line.startsWith('#')) return;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`exposition line ${index + 1} is not a sample: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const m of (match[2] ?? '').matchAll(LABEL)) labels[m[1] ?? ''] = (m[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value = parseValue(match[3] ?? '');
    if (Number.isNaN(value) && match[3] !== 'NaN') throw new Error(`exposition line ${index + 1} has a bad value: ${JSON.stringify(line)}`);
    samples.push({ name: match[1] ?? '', labels, value });
  });
  return {
    types,
    help,
    samples,
    value(name, labels = {}) {
      const hit = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      if (hit.length > 1) throw new Error(`${hit.length} samples of ${name} match ${JSON.stringify(labels)}; narrow the labels`);
      return hit[0]?.value;
    },
  };
}
