/**
 * `[spatial]` rules across keys, on the merged values: the world box is given whole (both corners
 * or neither) with `world_min` below `world_max` on every axis, and a set `merge_below` is below
 * `split_above` (the octree's hysteresis; it refuses anything else at the first tick, far from
 * the file).
 */
import type { Vec3 } from './autoValues.js';
import { locate, type Merged } from './checks.js';
import type { ConfigIssue } from './errors.js';

const formatVec3 = (v: Vec3): string => `[${v.join(', ')}]`;

function issueAt(merged: Merged, keyPath: string, value: unknown, message: string, expected: string): ConfigIssue {
  return { code: 'CONFIG_RANGE', message, keyPath, value, expected, ...locate(merged.origins.get(keyPath)) };
}

/** Issues for the world box and the octree's thresholds. */
export function spatialIssues(merged: Merged): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const min = merged.values.get('spatial.world_min') as Vec3 | 'auto';
  const max = merged.values.get('spatial.world_max') as Vec3 | 'auto';
  if ((min === 'auto') !== (max === 'auto')) {
    const [set, unset] = min === 'auto' ? ['spatial.world_max', 'spatial.world_min'] : ['spatial.world_min', 'spatial.world_max'];
    issues.push(issueAt(merged, set, min === 'auto' ? max : min, `${set} is set but ${unset} is "auto": give both corners of the world box, or neither`, `"auto", as ${unset} is, or set ${unset} too`));
  } else if (min !== 'auto' && max !== 'auto' && !min.every((lo, axis) => lo < max[axis]!)) {
    const axis = 'xyz'[min.findIndex((lo, a) => !(lo < max[a]!))];
    issues.push(issueAt(merged, 'spatial.world_min', min, `spatial.world_min ${formatVec3(min)} is not below spatial.world_max ${formatVec3(max)} on the ${axis} axis`, `a corner below world_max ${formatVec3(max)} on every axis`));
  }
  const split = merged.values.get('spatial.split_above') as number;
  const mergeBelow = merged.values.get('spatial.merge_below') as number | 'auto';
  if (mergeBelow !== 'auto' && mergeBelow >= split) {
    issues.push(issueAt(merged, 'spatial.merge_below', mergeBelow, `spatial.merge_below (${mergeBelow}) is not below spatial.split_above (${split})`, `an integer below split_above (${split}), or "auto"`));
  }
  return issues;
}
