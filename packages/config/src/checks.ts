/**
 * Rules that span keys or depend on the machine: backoff bounds, the thread cap and public
 * binds. They run on the merged values, after each key passed its own type.
 */
import type { ConfigWarning, ValueOrigin } from './config.js';
import type { ConfigIssue } from './errors.js';
import { formatDuration, isWildcardHost, type Endpoint } from './units.js';

/** Merged values by key path, and where each came from. */
export interface Merged {
  readonly values: Map<string, unknown>;
  readonly origins: Map<string, ValueOrigin>;
}

/** Where a merged value came from, as the location fields of an issue. */
export function locate(origin: ValueOrigin | undefined): Pick<ConfigIssue, 'file' | 'line' | 'column' | 'envVar'> {
  if (origin?.kind === 'env') return { envVar: origin.name };
  if (origin?.kind === 'file') return { ...(origin.file === undefined ? {} : { file: origin.file }), line: origin.line, column: origin.column };
  return {};
}

/** Issues for rules across keys (today: `backoff_min <= backoff_max`). */
export function crossKeyIssues(merged: Merged): ConfigIssue[] {
  const min = merged.values.get('supervision.backoff_min') as number;
  const max = merged.values.get('supervision.backoff_max') as number;
  if (min <= max) return [];
  return [
    {
      code: 'CONFIG_RANGE',
      message: `supervision.backoff_min (${formatDuration(min)}) is larger than supervision.backoff_max (${formatDuration(max)})`,
      keyPath: 'supervision.backoff_min',
      value: formatDuration(min),
      expected: `a duration no larger than backoff_max (${formatDuration(max)})`,
      ...locate(merged.origins.get('supervision.backoff_min')),
    },
  ];
}

/** Caps `engine.threads` in place and returns the warnings for that and for public binds. */
export function applyMachineRules(merged: Merged, availableParallelism: number): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const threads = merged.values.get('engine.threads') as number;
  if (threads > availableParallelism && merged.values.get('engine.oversubscribe') !== true) {
    merged.values.set('engine.threads', availableParallelism);
    warnings.push({
      code: 'CONFIG_THREADS_CAPPED',
      keyPath: 'engine.threads',
      message: `engine.threads = ${threads} exceeds the ${availableParallelism} available CPU threads; capped to ${availableParallelism} (set engine.oversubscribe = true to keep ${threads})`,
    });
  }
  for (const keyPath of ['telemetry.endpoint', 'network.listen']) {
    const endpoint = merged.values.get(keyPath) as Endpoint;
    if (isWildcardHost(endpoint.host)) {
      const auth = keyPath === 'telemetry.endpoint' ? `; ${telemetryAuthNote(merged)}` : '';
      warnings.push({ code: 'CONFIG_PUBLIC_BIND', keyPath, message: `${keyPath} binds every network interface (${endpoint.host}); use 127.0.0.1 to keep it local${auth}` });
    }
  }
  return warnings;
}

/** Whether anyone who reaches a public exporter can read it, and how to stop that. */
function telemetryAuthNote(merged: Merged): string {
  if (merged.values.get('telemetry.exporter') === 'none') return 'the exporter is off (exporter = "none")';
  if (merged.values.get('telemetry.auth_token') !== '') return 'metrics and dashboard require telemetry.auth_token (Bearer or basic auth; no TLS: use a TLS proxy on untrusted networks)';
  return 'metrics and dashboard are served WITHOUT authentication: set telemetry.auth_token (or CONCURRENGINE_TELEMETRY__AUTH_TOKEN) to require a token';
}
