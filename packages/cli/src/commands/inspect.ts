/** `concurrengine inspect <dir>`: what a snapshot store holds — ticks, sizes, sharing, dedupe ratio. */
import type { StoreStats } from '@concurrengine/snapshot';
import { EXIT_INVALID, EXIT_OK, type CliIo, type Command } from '../command.js';
import { formatBytes, openStore, parseStoreArgs } from './storeArgs.js';

/** Per-tick lines printed before eliding (all of them are in `--json`). */
const MAX_TICK_LINES = 40;

function report(dir: string, s: StoreStats, io: CliIo): void {
  const range = s.first === undefined ? '' : ` (${s.first} … ${s.last})`;
  const lines = [
    `${dir}: snapshot store`,
    `  ticks            ${s.ticks}${range}`,
    `  on disk          ${formatBytes(s.bytesOnDisk)} in ${s.segments} segment file(s) and ${s.ticks} manifest(s)`,
    `  pages stored     ${s.pages} (${formatBytes(s.pageBytes)})`,
    `  page references  ${s.pageRefs} (${formatBytes(s.logicalBytes)} if every tick were stored in full)`,
    `  shared pages     ${s.pagesShared} page(s) referenced by more than one tick`,
    `  dedupe ratio     ${s.dedupeRatio === 0 ? '-' : `${s.dedupeRatio.toFixed(2)}x`}`,
  ];
  if (s.perTick.length > 0) {
    lines.push('', '  tick              pages        bytes   same as previous   manifest');
    const shown = s.perTick.length > MAX_TICK_LINES ? s.perTick.slice(-MAX_TICK_LINES) : s.perTick;
    if (shown.length < s.perTick.length) lines.push(`  … ${s.perTick.length - shown.length} earlier tick(s) (see --json)`);
    for (const t of shown) {
      lines.push(`  ${String(t.tick).padEnd(16)} ${String(t.pages).padStart(6)} ${formatBytes(t.bytes).padStart(12)}   ${String(t.sharedWithPrevious).padStart(16)}   ${formatBytes(t.manifestBytes).padStart(8)}`);
    }
  }
  io.stdout(`${lines.join('\n')}\n`);
}

export const inspectCommand: Command = {
  name: 'inspect',
  usage: '<dir> [--json]',
  summary: 'show what a snapshot store holds: ticks, sizes, pages shared between ticks, dedupe ratio',
  help: [
    'Opens the snapshot store in <dir> (without changing it) and prints its ticks, the bytes on disk,',
    'the distinct pages and how many are shared between ticks, and the dedupe ratio',
    '(bytes if every tick were stored in full ÷ bytes of distinct pages), then one line per tick.',
    '  --json  print the statistics as JSON instead',
    'Exit status: 0 done, 2 not a snapshot store (or unreadable).',
  ].join('\n'),
  async run(args, io) {
    const parsed = parseStoreArgs(args);
    if (typeof parsed === 'string') {
      io.stderr(`concurrengine inspect: ${parsed}. Usage: concurrengine inspect <dir> [--json]\n`);
      return EXIT_INVALID;
    }
    const store = await openStore(parsed.dir, io);
    if (typeof store === 'string') {
      io.stderr(`concurrengine inspect: ${store}\n`);
      return EXIT_INVALID;
    }
    try {
      const stats = await store.stats();
      if (parsed.json) io.stdout(`${JSON.stringify({ dir: parsed.dir, ...stats }, null, 2)}\n`);
      else report(parsed.dir, stats, io);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
