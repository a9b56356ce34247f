/**
 * The output contract of BENCHMARKS.md: one human table per run, and one `BENCH {json}` line per
 * case, where `ratio > 1` always means we are ahead of the peer.
 */
import { availableParallelism } from 'node:os';

import type { SampleStats } from './stats.js';

/** Whether a larger or a smaller value is better for a case. */
export type Better = 'higher' | 'lower';

/** One case's result, as the `BENCH` line carries it. */
export interface BenchRecord {
  readonly package: string;
  readonly case: string;
  readonly unit: string;
  readonly ours: number;
  readonly peer: string | null;
  readonly peerValue?: number;
  readonly ratio?: number;
  readonly limit?: number;
  readonly better: Better;
  readonly node: string;
  readonly cpus: number;
  readonly oursMin: number;
  readonly oursMax: number;
  readonly peerMin?: number;
  readonly peerMax?: number;
  readonly samples: number;
  readonly seed: number;
}

/** ours ÷ peer when higher is better, peer ÷ ours when lower is better. */
export function ratioOf(ours: number, peer: number, better: Better): number {
  return better === 'higher' ? ours / peer : peer / ours;
}

/** Builds the record for a case measured against a peer (or a limit when `peer` is null). */
export function makeRecord(fields: {
  pkg: string;
  caseName: string;
  unit: string;
  better: Better;
  ours: SampleStats;
  peerName: string | null;
  peer?: SampleStats;
  limit?: number;
  seed: number;
}): BenchRecord {
  const { pkg, caseName, unit, better, ours, peerName, peer, limit, seed } = fields;
  return {
    package: pkg,
    case: caseName,
    unit,
    ours: round(ours.median),
    peer: peerName,
    ...(peer ? { peerValue: round(peer.median), ratio: round(ratioOf(ours.median, peer.median, better)) } : {}),
    ...(limit !== undefined ? { limit } : {}),
    better,
    node: process.version,
    cpus: availableParallelism(),
    oursMin: round(ours.min),
    oursMax: round(ours.max),
    ...(peer ? { peerMin: round(peer.min), peerMax: round(peer.max) } : {}),
    samples: ours.samples,
    seed,
  };
}

/** The machine-readable line. */
export function benchLine(record: BenchRecord): string {
  return `BENCH ${JSON.stringify(record)}`;
}

/** A fixed-width table of all records, for people. */
export function humanTable(records: readonly BenchRecord[]): string {
  const header = ['case', 'ours (median, min–max)', 'peer', 'peer value', 'ratio'];
  const rows = records.map((r) => [
    r.case,
    `${fmt(r.ours)} ${r.unit} (${fmt(r.oursMin)}–${fmt(r.oursMax)})`,
    r.peer ?? `limit ${r.limit ?? '—'}`,
    r.peerValue !== undefined ? `${fmt(r.peerValue)} ${r.unit}` : '—',
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}× ${r.ratio >= 1 ? 'ahead' : 'behind'}` : limitVerdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function limitVerdict(r: BenchRecord): string {
  if (r.limit === undefined) return '—';
  const within = r.better === 'lower' ? r.ours <= r.limit : r.ours >= r.limit;
  return within ? 'within limit' : 'OVER limit';
}

function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  const magnitude = Math.abs(v);
  const digits = magnitude >= 1000 ? 0 : magnitude >= 1 ? 3 : 6;
  return Number(v.toFixed(digits));
}

function fmt(v: number): string {
  const magnitude = Math.abs(v);
  if (magnitude >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (magnitude >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (magnitude >= 100) return v.toFixed(0);
  if (magnitude >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}
