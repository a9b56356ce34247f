/** `concurrengine verify <dir>`: check every checksum of a snapshot store; exit 2 if anything is corrupt. */
import { isSnapshotError, type VerifyReport } from '@concurrengine/snapshot';
import { EXIT_INVALID, EXIT_OK, type CliIo, type Command } from '../command.js';
import { formatBytes, openStore, parseStoreArgs } from './storeArgs.js';

function report(dir: string, r: VerifyReport, io: CliIo): void {
  const bad = r.ticks.filter((t) => !t.ok);
  const checked = `${r.ticks.length} tick(s), ${r.pagesChecked} page record(s), ${formatBytes(r.bytesChecked)} checked`;
  if (r.ok) {
    io.stdout(`${dir}: ok — ${checked}\n`);
    return;
  }
  const lines = [`${dir}: CORRUPT — ${bad.length} of ${r.ticks.length} tick(s) unreadable; ${checked}`];
  for (const p of r.problems) lines.push(`  ${p.tick !== undefined ? `tick ${p.tick}: ` : ''}${p.code} in ${p.file} at offset ${p.offset}: ${p.message}`);
  const good = r.ticks.length - bad.length;
  lines.push(`Unreadable ticks: ${bad.map((t) => t.tick).join(', ')}. The other ${good} tick(s) read back intact.`);
  io.stderr(`${lines.join('\n')}\n`);
}

export const verifyCommand: Command = {
  name: 'verify',
  usage: '<dir> [--json]',
  summary: 'check every checksum of a snapshot store (exit 2 if anything is corrupt)',
  help: [
    'Reads every manifest and every page record the ticks of the store in <dir> reference and checks',
    'their checksums (file headers, manifest CRC-32, record header CRC-32, page SHA-256), without',
    'changing the store. Each problem names the tick, the file and the byte offset.',
    '  --json  print the report as JSON instead',
    'Exit status: 0 all checks pass, 2 corruption found or not a snapshot store.',
  ].join('\n'),
  async run(args, io) {
    const parsed = parseStoreArgs(args);
    if (typeof parsed === 'string') {
      io.stderr(`concurrengine verify: ${parsed}. Usage: concurrengine verify <dir> [--json]\n`);
      return EXIT_INVALID;
    }
    const store = await openStore(parsed.dir, io);
    if (typeof store === 'string') {
      io.stderr(`concurrengine verify: ${store}\n`);
      return EXIT_INVALID;
    }
    try {
      const result = await store.verify();
      if (parsed.json) io.stdout(`${JSON.stringify({ dir: parsed.dir, ...result }, null, 2)}\n`);
      else report(parsed.dir, result, io);
      return result.ok ? EXIT_OK : EXIT_INVALID;
    } catch (error) {
      // A file that became unreadable while read (SNAPSHOT_IO, …): named, exit 2, no stack.
      if (!isSnapshotError(error)) throw error;
      io.stderr(`concurrengine verify: ${error.message} [${error.code}]\n`);
      return EXIT_INVALID;
    } finally {
      await store.close();
    }
  },
};
