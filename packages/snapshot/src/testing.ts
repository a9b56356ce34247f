/**
 * Test doubles: a file-system seam that fails on demand, for the store's error paths.
 * Published as `@concurrengine/snapshot/testing`.
 */
import type { FileSystemSeam } from './fileSystem.js';
import { nodeFileSystem } from './fileSystem.js';

/** Which calls fail: the `at`-th call (1-based, counted over `ops`) and every later one if `sticky`. */
export interface FaultPlan {
  readonly at: number;
  /** errno to raise, e.g. `ENOSPC` or `EACCES`. */
  readonly code: string;
  /** Operations that count (default: all). */
  readonly ops?: ReadonlyArray<keyof FileSystemSeam>;
  /** Keep failing after the first fault (a full disk stays full). Default false. */
  readonly sticky?: boolean;
}

export interface FaultyFileSystem extends FileSystemSeam {
  /** Calls counted so far (only those in `plan.ops`). */
  readonly calls: number;
  /** Faults raised so far. */
  readonly faults: number;
  /** Replaces the plan and resets the count; `undefined` stops injecting. */
  arm(plan: FaultPlan | undefined): void;
}

/** Wraps `base` (default: node's fs) so that the planned calls fail with an errno error. */
export function createFaultyFileSystem(base: FileSystemSeam = nodeFileSystem, initial?: FaultPlan): FaultyFileSystem {
  let plan = initial;
  let calls = 0;
  let faults = 0;
  const wrap =
    <K extends keyof FileSystemSeam>(op: K) =>
    (...args: Parameters<FileSystemSeam[K]>): ReturnType<FileSystemSeam[K]> => {
      if (plan && (!plan.ops || plan.ops.includes(op))) {
        calls++;
        if (calls === plan.at || (plan.sticky && calls > plan.at)) {
          faults++;
          const error = Object.assign(new Error(`${plan.code}: injected fault in ${op}`), { code: plan.code, syscall: op });
          return Promise.reject(error) as ReturnType<FileSystemSeam[K]>;
        }
      }
      return (base[op] as (...a: Parameters<FileSystemSeam[K]>) => ReturnType<FileSystemSeam[K]>)(...args);
    };
  const seam: FaultyFileSystem = {
    open: wrap('open'),
    writev: wrap('writev'),
    read: wrap('read'),
    fsync: wrap('fsync'),
    close: wrap('close'),
    size: wrap('size'),
    rename: wrap('rename'),
    unlink: wrap('unlink'),
    readdir: wrap('readdir'),
    mkdir: wrap('mkdir'),
    get calls() {
      return calls;
    },
    get faults() {
      return faults;
    },
    arm(next) {
      plan = next;
      calls = 0;
    },
  };
  return seam;
}
