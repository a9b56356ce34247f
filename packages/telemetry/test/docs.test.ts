/**
 * The README's metric table and the Grafana dashboard (docs/grafana-dashboard.json) are built on
 * the names of `metricNames.ts`: every family documented and charted, no unknown name anywhere.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC_SPECS } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const grafana: unknown = JSON.parse(readFileSync(new URL('../../../docs/grafana-dashboard.json', import.meta.url), 'utf8'));
const families = new Set(METRIC_SPECS.map((s) => s.name));
const SUFFIXES = ['_bucket', '_sum', '_count'];

/** Every `expr` string in the dashboard, however deeply nested. */
function expressions(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => expressions(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'expr' && typeof value === 'string') out.push(value);
      else expressions(value, out);
    }
  }
  return out;
}

const familyOf = (name: string): string => {
  const suffix = SUFFIXES.find((s) => name.endsWith(s) && families.has(name.slice(0, -s.length)));
  return suffix === undefined ? name : name.slice(0, -suffix.length);
};

describe('documentation of the metric names', () => {
  it('the README table lists every family with its type and labels', () => {
    for (const spec of METRIC_SPECS) {
      const labels = spec.labels.length === 0 ? '—' : spec.labels.map((l) => `\`${l}\``).join(', ');
      expect(readme, spec.name).toContain(`| \`${spec.name}\` | ${spec.type} | ${labels} |`);
    }
  });

  it('the Grafana dashboard charts every family and only known names', () => {
    const used = new Set(expressions(grafana).flatMap((e) => [...e.matchAll(/concurrengine_[a-z_]+/g)].map((m) => familyOf(m[0]))));
    for (const name of used) expect(families.has(name), `${name} is not a documented metric`).toBe(true);
    for (const name of families) expect(used.has(name), `${name} is not charted`).toBe(true);
  });
});
