/** Short, readable text for a value in an error message: `"tcpx"`, `0`, `[1, 2]`, `a table`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  // Short arrays of scalars are shown (`[1, 2]` says what is wrong with a vec3); others are not.
  if (Array.isArray(value)) return value.length <= 8 && value.every((x) => typeof x !== 'object') ? `[${value.map(describeValue).join(', ')}]` : 'an array';
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (typeof value === 'object' && value !== null) return 'a table';
  return String(value);
}
