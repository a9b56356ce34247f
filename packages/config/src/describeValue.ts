/** Short, readable text for a value in an error message: `"tcpx"`, `0`, `a table`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (typeof value === 'object' && value !== null) return 'a table';
  return String(value);
}
