/**
 * Errors of the snapshot package. Every failure of a store operation is a {@link SnapshotError}
 * whose `code` says what kind it is and whose fields name the file, offset, tick or errno involved.
 */

/** Every code a {@link SnapshotError} can carry (the README lists them with their meaning). */
export type SnapshotErrorCode =
  /** A file has a foreign magic or a newer format version than this build reads. */
  | 'SNAPSHOT_FORMAT'
  /** A checksum or a structural check failed: `file` and `offset` say where. */
  | 'SNAPSHOT_CORRUPT'
  /** `readTick` of a tick the store does not hold: `tick` and `available` say what there is. */
  | 'SNAPSHOT_TICK_MISSING'
  /** `writeTick` was given a `PageKey` the store does not hold (never written, or compacted away). */
  | 'SNAPSHOT_PAGE_MISSING'
  /** The file system failed: `errno` (ENOSPC, EACCES, …), `path` and `operation`. */
  | 'SNAPSHOT_IO'
  /** `writeTick` with a tick that is not a safe integer above the latest one. */
  | 'SNAPSHOT_ORDER'
  /** `writeTick` of a tick whose manifest would exceed the format's limit (`MAX_MANIFEST_BYTES`, 1 GiB). */
  | 'SNAPSHOT_LIMIT'
  /** The store was closed (or its worker thread died). */
  | 'SNAPSHOT_CLOSED';

/** The fields a {@link SnapshotError} may carry besides its code and message. */
export interface SnapshotErrorFields {
  /** The file a format, corruption or I/O error is about. */
  readonly file?: string;
  /** Byte offset in `file` of the record or region whose check failed. */
  readonly offset?: number;
  readonly tick?: number;
  /** For SNAPSHOT_TICK_MISSING: the ticks the store holds (undefined when empty). */
  readonly available?: { readonly first: number; readonly last: number; readonly count: number };
  /** For SNAPSHOT_IO: the error code from the file system, e.g. `ENOSPC`. */
  readonly errno?: string;
  /** For SNAPSHOT_IO: the path the operation was on. */
  readonly path?: string;
  /** For SNAPSHOT_IO: the file-system operation (`open`, `writev`, `fsync`, `rename`, …). */
  readonly operation?: string;
  /** For SNAPSHOT_FORMAT: the version (or magic) found in the file and the newest this build reads. */
  readonly found?: number | string;
  readonly supported?: number;
  /** For SNAPSHOT_PAGE_MISSING and page corruption: the page's key. */
  readonly pageKey?: string;
}

const FIELD_NAMES = ['file', 'offset', 'tick', 'available', 'errno', 'path', 'operation', 'found', 'supported', 'pageKey'] as const;

/** The one error class of this package. */
export class SnapshotError extends Error implements SnapshotErrorFields {
  override readonly name = 'SnapshotError';
  declare readonly file?: string;
  declare readonly offset?: number;
  declare readonly tick?: number;
  declare readonly available?: SnapshotErrorFields['available'];
  declare readonly errno?: string;
  declare readonly path?: string;
  declare readonly operation?: string;
  declare readonly found?: number | string;
  declare readonly supported?: number;
  declare readonly pageKey?: string;

  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
    fields: SnapshotErrorFields = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    for (const name of FIELD_NAMES) if (fields[name] !== undefined) Object.assign(this, { [name]: fields[name] });
  }

  /** The fields as a plain object (what crosses the worker boundary and what `--json` prints). */
  fields(): SnapshotErrorFields {
    const out: Record<string, unknown> = {};
    for (const name of FIELD_NAMES) if (this[name] !== undefined) out[name] = this[name];
    return out as SnapshotErrorFields;
  }
}

/** True when `error` is a {@link SnapshotError}, optionally with the given code. */
export function isSnapshotError(error: unknown, code?: SnapshotErrorCode): error is SnapshotError {
  return error instanceof SnapshotError && (code === undefined || error.code === code);
}

/** Wraps a file-system failure (anything with a string `code`) as SNAPSHOT_IO; passes SnapshotErrors through. */
export function ioError(error: unknown, operation: string, path: string): SnapshotError {
  if (error instanceof SnapshotError) return error;
  const errno = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'EUNKNOWN';
  const reason = error instanceof Error ? error.message : String(error);
  return new SnapshotError('SNAPSHOT_IO', `${operation} ${path} failed: ${errno} (${reason})`, { errno, path, operation }, { cause: error });
}
