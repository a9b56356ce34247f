/** `concurrengine inspect <dir>`: what a snapshot store holds — ticks, sizes, sharing, dedupe ratio. */
import { isSnapshotError, type StoreStats } from '@concurrengine/snapshot';
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
    const unreadable = new Set((s.unreadable ?? []).map((p) => p.tick));
    for (const t of shown) {
      if (unreadable.has(t.tick)) lines.push(`  ${String(t.tick).padEnd(16)} unreadable manifest (see below)`);
      else lines.push(`  ${String(t.tick).padEnd(16)} ${String(t.pages).padStart(6)} ${formatBytes(t.bytes).padStart(12)}   ${String(t.sharedWithPrevious).padStart(16)}   ${formatBytes(t.manifestBytes).padStart(8)}`);
    }
  }
  io.stdout(`${lines.join('\n')}\n`);
}

/** The ticks whose manifest could not be read, one line each (stderr): a store with them is exit 2. */
function reportUnreadable(dir: string, s: StoreStats, io: CliIo): void {
  const bad = s.unreadable ?? [];
  const lines = [`${dir}: CORRUPT — ${bad.length} of ${s.ticks} tick(s) have an unreadable manifest`];
  for (const p of bad) lines.push(`  ${p.tick !== undefined ? `tick ${p.tick}: ` : ''}${p.code} in ${p.file} at offset ${p.offset}: ${p.message}`);
  lines.push(`The other ${s.ticks - bad.length} tick(s) are listed above; run \`concurrengine verify ${dir}\` to check their pages.`);
  io.stderr(`${lines.join('\n')}\n`);
}

export const inspectCommand: Command = {
  name: 'inspect',
  usage: '<dir> [--json]',
  summary: 'show what a snapshot store holds: ticks, sizes, pages shared between ticks, dedupe ratio',
  help: [
    'Opens the snapshot store in <dir> (without changing it) and prints its ticks, the bytes on disk,',
    'the distinct pages and how many are shared between ticks, and the dedupe ratio',
    '(bytes if every tick were stored in full ÷ bytes of distinct pages), then one line per tick.',
    '  --json  print the statistics as JSON instead (with `ok` and `unreadable`: ticks whose manifest',
    '          could not be read, each with its file, offset, code and message)',
    'Exit status: 0 done, 2 not a snapshot store, or a tick\'s manifest is corrupt (each named on stderr).',
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
      const corrupt = (stats.unreadable ?? []).length > 0;
      if (parsed.json) io.stdout(`${JSON.stringify({ dir: parsed.dir, ok: !corrupt, ...stats }, null, 2)}\n`);
      else {
        report(parsed.dir, stats, io);
        if (corrupt) reportUnreadable(parsed.dir, stats, io);
      }
      return corrupt ? EXIT_INVALID : EXIT_OK;
    } catch (error) {
      // A file that became unreadable while read (SNAPSHOT_IO, …): named, exit 2, no stack.
      if (!isSnapshotError(error)) throw error;
      io.stderr(`concurrengine inspect: ${error.message} [${error.code}]\n`);
      return EXIT_INVALID;
    } finally {
      await store.close();
    }
  },
};
