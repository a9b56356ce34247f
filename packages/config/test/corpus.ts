/**
 * Malformed and invalid configurations, each with the issue it must produce: code, 1-based
 * line and column (of the value for value errors, of the key or header otherwise) and key path.
 */
import type { ConfigErrorCode } from '../src/index.js';

export interface CorpusCase {
  readonly name: string;
  readonly toml: string;
  readonly code: ConfigErrorCode;
  readonly line: number;
  readonly column: number;
  readonly keyPath?: string;
  readonly suggestion?: string;
}

const c = (name: string, toml: string, code: ConfigErrorCode, line: number, column: number, keyPath?: string, suggestion?: string): CorpusCase => ({
  name,
  toml,
  code,
  line,
  column,
  ...(keyPath === undefined ? {} : { keyPath }),
  ...(suggestion === undefined ? {} : { suggestion }),
});

export const corpus: readonly CorpusCase[] = [
  // Malformed TOML: smol-toml's own position.
  c('value missing', '[engine]\nthreads = \n', 'CONFIG_SYNTAX', 2, 11),
  c('unclosed table header', '[engine\nthreads = 1\n', 'CONFIG_SYNTAX', 1, 8),
  c('duplicate key', '[engine]\nthreads = 1\nthreads = 2\n', 'CONFIG_SYNTAX', 3, 1),
  c('unterminated string', '[engine]\ntick_rate = "60hz\n', 'CONFIG_SYNTAX', 2, 18),
  c('duplicate table', '[engine]\nthreads = 1\n[engine]\nseed = 1\n', 'CONFIG_SYNTAX', 3, 2),
  c('key missing', '[engine]\n= 5\n', 'CONFIG_SYNTAX', 2, 1),
  // Unknown sections.
  c('misspelt section', '[engin]\nthreads = 2\n', 'CONFIG_UNKNOWN_SECTION', 1, 1, 'engin', 'engine'),
  c('unrelated section after others', '[network]\nprotocol = "quic"\n\n[metrics]\nx = 1\n', 'CONFIG_UNKNOWN_SECTION', 4, 1, 'metrics'),
  c('section from a dotted key', 'telemtry.exporter = "none"\n', 'CONFIG_UNKNOWN_SECTION', 1, 1, 'telemtry', 'telemetry'),
  c('section as inline table', 'supervison = { max_restarts = 3 }\n', 'CONFIG_UNKNOWN_SECTION', 1, 1, 'supervison', 'supervision'),
  // Unknown keys.
  c('misspelt key', '[engine]\nthread = 4\n', 'CONFIG_UNKNOWN_KEY', 2, 1, 'engine.thread', 'threads'),
  c('indented misspelt key', '[network]\n  max_conections = 10\n', 'CONFIG_UNKNOWN_KEY', 2, 3, 'network.max_conections', 'max_connections'),
  c('quoted key with a dash', '[engine]\n"tick-rate" = 60\n', 'CONFIG_UNKNOWN_KEY', 2, 1, 'engine.tick-rate', 'tick_rate'),
  c('dotted key at top level', 'engine.thredas = 2\n', 'CONFIG_UNKNOWN_KEY', 1, 1, 'engine.thredas', 'threads'),
  c('key inside an inline table', 'engine = { threads = 2, tik_rate = 60 }\n', 'CONFIG_UNKNOWN_KEY', 1, 25, 'engine.tik_rate', 'tick_rate'),
  c('key outside any section', 'threads = 4\n[engine]\nseed = 1\n', 'CONFIG_UNKNOWN_KEY', 1, 1, 'threads', 'engine.threads'),
  c('unknown key after valid ones', '[telemetry]\nendpoint = "127.0.0.1:9090"\nsampl_rate = 0.5\n', 'CONFIG_UNKNOWN_KEY', 3, 1, 'telemetry.sampl_rate', 'sample_rate'),
  c('sub-table of a section', '[engine.extra]\nx = 1\n', 'CONFIG_UNKNOWN_KEY', 1, 1, 'engine.extra'),
  c('spaced dotted key', '[network]\nfoo . bar = 1\n', 'CONFIG_UNKNOWN_KEY', 2, 1, 'network.foo'),
  // Wrong types.
  c('integer as string', '[engine]\nthreads = "8"\n', 'CONFIG_TYPE', 2, 11, 'engine.threads'),
  c('integer as float', '[engine]\nthreads = 8.5\n', 'CONFIG_TYPE', 2, 11, 'engine.threads'),
  c('boolean as string', '[engine]\noversubscribe = "yes"\n', 'CONFIG_TYPE', 2, 17, 'engine.oversubscribe'),
  c('section as a number', 'engine = 5\n', 'CONFIG_TYPE', 1, 10, 'engine'),
  c('array for an integer', '[network]\nmax_connections = [1, 2]\n', 'CONFIG_TYPE', 2, 19, 'network.max_connections'),
  c('float as string', '[telemetry]\nsample_rate = "0.5"\n', 'CONFIG_TYPE', 2, 15, 'telemetry.sample_rate'),
  c('endpoint as number', '[telemetry]\nendpoint = 9090\n', 'CONFIG_TYPE', 2, 12, 'telemetry.endpoint'),
  c('enum as table', '[network]\nprotocol = { name = "quic" }\n', 'CONFIG_TYPE', 2, 12, 'network.protocol'),
  c('date for an integer', '[engine]\nseed = 1979-05-27\n', 'CONFIG_TYPE', 2, 8, 'engine.seed'),
  c('array of tables for a section', '[[engine]]\nthreads = 1\n', 'CONFIG_TYPE', 1, 1, 'engine'),
  // Out of range.
  c('threads = 0', '[engine]\nthreads = 0\n', 'CONFIG_RANGE', 2, 11, 'engine.threads'),
  c('threads above the hard limit', '[engine]\noversubscribe = true\nthreads = 5000\n', 'CONFIG_RANGE', 3, 11, 'engine.threads'),
  c('negative tick rate', '[engine]\ntick_rate = -60\n', 'CONFIG_RANGE', 2, 13, 'engine.tick_rate'),
  c('zero tick rate', '[engine]\ntick_rate = "0hz"\n', 'CONFIG_RANGE', 2, 13, 'engine.tick_rate'),
  c('sample_rate above 1', '[telemetry]\nsample_rate = 1.5\n', 'CONFIG_RANGE', 2, 15, 'telemetry.sample_rate'),
  c('negative sample_rate', '[telemetry]\nsample_rate = -0.1\n', 'CONFIG_RANGE', 2, 15, 'telemetry.sample_rate'),
  c('sample_rate nan', '[telemetry]\nsample_rate = nan\n', 'CONFIG_RANGE', 2, 15, 'telemetry.sample_rate'),
  c('no connections', '[network]\nmax_connections = 0\n', 'CONFIG_RANGE', 2, 19, 'network.max_connections'),
  c('negative max_restarts', '[supervision]\nmax_restarts = -1\n', 'CONFIG_RANGE', 2, 16, 'supervision.max_restarts'),
  c('backoff_min above backoff_max', '[supervision]\nbackoff_min = "2s"\nbackoff_max = "1s"\n', 'CONFIG_RANGE', 2, 1, 'supervision.backoff_min'),
  c('empty snapshot_dir', '[engine]\nsnapshot_dir = ""\n', 'CONFIG_RANGE', 2, 16, 'engine.snapshot_dir'),
  c('publish_interval too short', '[telemetry]\npublish_interval = "5ms"\n', 'CONFIG_RANGE', 2, 20, 'telemetry.publish_interval'),
  c('seed above 32 bits', '[engine]\nseed = 4_294_967_296\n', 'CONFIG_RANGE', 2, 8, 'engine.seed'),
  // Unknown enum values.
  c('protocol tcpx', '[network]\nprotocol = "tcpx"\n', 'CONFIG_ENUM', 2, 12, 'network.protocol', 'tcp'),
  c('partition strategy', '[engine]\npartition_strategy = "octree"\n', 'CONFIG_ENUM', 2, 22, 'engine.partition_strategy'),
  c('backpressure', '[network]\nbackpressure = "unbounded"\n', 'CONFIG_ENUM', 2, 16, 'network.backpressure'),
  c('isolation', '[supervision]\nisolation = "process"\n', 'CONFIG_ENUM', 2, 13, 'supervision.isolation'),
  c('underscore for dash', '[supervision]\nrestart_policy = "exponential_backoff"\n', 'CONFIG_ENUM', 2, 18, 'supervision.restart_policy', 'exponential-backoff'),
  c('exporter', '[telemetry]\nexporter = "statsd"\n', 'CONFIG_ENUM', 2, 12, 'telemetry.exporter'),
  c('threads auto misspelt', '[engine]\nthreads = "atuo"\n', 'CONFIG_ENUM', 2, 11, 'engine.threads', 'auto'),
  // Units.
  c('frequency unit', '[engine]\ntick_rate = "60fps"\n', 'CONFIG_UNIT', 2, 13, 'engine.tick_rate'),
  c('duration unit', '[supervision]\nbackoff_max = "2 sec"\n', 'CONFIG_UNIT', 2, 15, 'supervision.backoff_max'),
  c('duration without unit', '[supervision]\nbackoff_min = 250\n', 'CONFIG_UNIT', 2, 15, 'supervision.backoff_min'),
  c('duration below 1 ms', '[network]\nidle_timeout = "0.5ms"\n', 'CONFIG_UNIT', 2, 16, 'network.idle_timeout'),
  c('endpoint without port', '[telemetry]\nendpoint = "localhost"\n', 'CONFIG_UNIT', 2, 12, 'telemetry.endpoint'),
  c('endpoint port too large', '[telemetry]\nendpoint = "127.0.0.1:70000"\n', 'CONFIG_UNIT', 2, 12, 'telemetry.endpoint'),
  c('endpoint bad IPv4', '[telemetry]\nendpoint = "256.1.1.1:9090"\n', 'CONFIG_UNIT', 2, 12, 'telemetry.endpoint'),
  c('endpoint unclosed IPv6', '[network]\nlisten = "[::1:4433"\n', 'CONFIG_UNIT', 2, 10, 'network.listen'),
  // [spatial]: world box corners, thresholds, the grid's cell.
  c('world_min with two axes', '[spatial]\nworld_min = [1, 2]\nworld_max = [5, 5, 5]\n', 'CONFIG_TYPE', 2, 13, 'spatial.world_min'),
  c('world_max with four axes', '[spatial]\nworld_min = [0, 0, 0]\nworld_max = [5, 5, 5, 5]\n', 'CONFIG_TYPE', 3, 13, 'spatial.world_max'),
  c('world_min with a string axis', '[spatial]\nworld_min = [0, "1", 0]\nworld_max = [1, 2, 3]\n', 'CONFIG_TYPE', 2, 13, 'spatial.world_min'),
  c('world_max with nan', '[spatial]\nworld_min = [0, 0, 0]\nworld_max = [1, nan, 1]\n', 'CONFIG_RANGE', 3, 13, 'spatial.world_max'),
  c('world_min as comma text', '[spatial]\nworld_min = "0,0,0"\nworld_max = [1, 1, 1]\n', 'CONFIG_TYPE', 2, 13, 'spatial.world_min'),
  c('world_min auto misspelt', '[spatial]\nworld_min = "atuo"\n', 'CONFIG_ENUM', 2, 13, 'spatial.world_min', 'auto'),
  c('world_min not below world_max', '[spatial]\nworld_min = [0, 0, 0]\nworld_max = [10, 0, 10]\n', 'CONFIG_RANGE', 2, 1, 'spatial.world_min'),
  c('world_min above world_max', '[spatial]\nworld_max = [10, 10, 10]\nworld_min = [0, 0, 20]\n', 'CONFIG_RANGE', 3, 1, 'spatial.world_min'),
  c('only one corner of the world box', '[spatial]\nworld_max = [10, 10, 10]\n', 'CONFIG_RANGE', 2, 1, 'spatial.world_max'),
  c('merge_below not below split_above', '[spatial]\nsplit_above = 64\nmerge_below = 64\n', 'CONFIG_RANGE', 3, 1, 'spatial.merge_below'),
  c('merge_below above the default split_above', '[spatial]\nmerge_below = 600\n', 'CONFIG_RANGE', 2, 1, 'spatial.merge_below'),
  c('merge_below unknown word', '[spatial]\nmerge_below = "never"\n', 'CONFIG_TYPE', 2, 15, 'spatial.merge_below'),
  c('split_above of 1', '[spatial]\nsplit_above = 1\n', 'CONFIG_RANGE', 2, 15, 'spatial.split_above'),
  c('reorder_every as float', '[spatial]\nreorder_every = 1.5\n', 'CONFIG_TYPE', 2, 17, 'spatial.reorder_every'),
  c('negative cell_size', '[spatial]\ncell_size = -1\n', 'CONFIG_RANGE', 2, 13, 'spatial.cell_size'),
  c('misspelt spatial key', '[spatial]\nsplit_abov = 64\n', 'CONFIG_UNKNOWN_KEY', 2, 1, 'spatial.split_abov', 'split_above'),
  // Locations that need a real scanner.
  c('brackets inside a multi-line string', '[engine] # [network]\nsnapshot_dir = """\n[fake]\nthreads = 0\n"""\nthreads = 0\n', 'CONFIG_RANGE', 6, 11, 'engine.threads'),
  c('multi-line inline table', 'supervision = {\n  max_restarts = 3,\n  isolation = "thread"\n}\n', 'CONFIG_ENUM', 3, 15, 'supervision.isolation'),
  c('quoted header and key', '["engine"]\n"threads" = 0\n', 'CONFIG_RANGE', 2, 13, 'engine.threads'),
  c('CRLF line endings', '[engine]\r\nthreads = 0\r\n', 'CONFIG_RANGE', 2, 11, 'engine.threads'),
  c('tab indent and literal string', "[network]\n\tprotocol = 'tcpx'\n", 'CONFIG_ENUM', 2, 13, 'network.protocol', 'tcp'),
  c('key after an array spanning lines', '[engine]\nsnapshot_dir = "x"\n[network]\nprotocol = "quic" # "tcpx"\nmax_connections = 1_0\nbackpressure = "drop"\n', 'CONFIG_ENUM', 6, 16, 'network.backpressure'),
];
