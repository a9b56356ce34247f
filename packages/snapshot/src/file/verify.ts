/** `verify`: re-reads every manifest and every referenced page record and checks every checksum. */
import { SnapshotError } from '../errors.js';
import { RECORD_HEADER_BYTES } from '../format.js';
import type { VerifyProblem, VerifyReport } from '../snapshotStore.js';
import { readManifest } from './manifestFile.js';
import { readRecords, type RecordSpec } from './segments.js';
import { locationOf, type StoreState } from './state.js';

/** Records are checked in slices of about this many bytes, so verify's memory stays bounded. */
const SLICE_BYTES = 64 << 20;

/** A read error as `verify` (and `stats().unreadable`) reports it. */
export function problemOf(error: SnapshotError, fallbackFile: string, tick?: number): VerifyProblem {
  const code = error.code === 'SNAPSHOT_FORMAT' || error.code === 'SNAPSHOT_IO' ? error.code : 'SNAPSHOT_CORRUPT';
  return { ...(tick !== undefined ? { tick } : {}), file: error.file ?? error.path ?? fallbackFile, offset: error.offset ?? 0, code, message: error.message };
}

export async function verifyStore(state: StoreState): Promise<VerifyReport> {
  for (const info of state.segments.values()) info.headerChecked = false; // re-read: files may have changed since open
  const problems: VerifyProblem[] = [];
  const bad = new Set<number>();
  const specs: RecordSpec[] = [];
  const users: number[][] = [];
  const slot = new Map<string, number>();
  const report = (error: unknown, file: string, tick?: number): void => {
    if (!(error instanceof SnapshotError)) throw error;
    problems.push(problemOf(error, file, tick));
    if (tick !== undefined) bad.add(tick);
  };

  for (const tick of state.order) {
    const record = state.ticks.get(tick)!;
    if (record.broken) {
      report(record.broken, record.file, tick);
      continue;
    }
    try {
      const manifest = await readManifest(state, record.file, tick);
      for (const entry of manifest.entries) {
        const loc = locationOf(entry.segment, entry.offset);
        let at = slot.get(loc);
        if (at === undefined) {
          at = specs.push(entry) - 1;
          slot.set(loc, at);
          users.push([]);
        }
        const list = users[at]!;
        if (list[list.length - 1] !== tick) list.push(tick);
      }
    } catch (error) {
      report(error, record.file, tick);
    }
  }

  const order = specs.map((_, i) => i).sort((a, b) => specs[a]!.segment - specs[b]!.segment || specs[a]!.offset - specs[b]!.offset);
  let bytesChecked = 0;
  for (let i = 0; i < order.length; ) {
    const slice: number[] = [];
    let bytes = 0;
    for (; i < order.length && (slice.length === 0 || bytes < SLICE_BYTES); i++) {
      slice.push(order[i]!);
      bytes += specs[order[i]!]!.length + RECORD_HEADER_BYTES;
    }
    const results = await readRecords(state, slice.map((k) => specs[k]!));
    results.forEach((result, n) => {
      const k = slice[n]!;
      if (result instanceof SnapshotError) for (const tick of users[k]!) report(result, result.file ?? '', tick);
      else bytesChecked += result.byteLength;
    });
  }

  // Segments no tick references are crash leftovers (possibly torn): not problems, and not read.
  const ticks = state.order.map((tick) => ({ tick, ok: !bad.has(tick) }));
  return { ok: problems.length === 0, ticks, problems, pagesChecked: specs.length, bytesChecked };
}
