/**
 * How an error quotes a value it refuses: short whatever the value (a 10 MB string once made a
 * 10 MB error message, issue 15), and never by calling the value's own `toString` (which may
 * throw, or not exist on `Object.create(null)`).
 */

/** Characters of a string, bigint or symbol an error quotes before it cuts. */
export const QUOTE_LIMIT = 80;

/**
 * A short description of `value` for an error message: strings quoted (JSON) and cut at `max`
 * characters with their length, numbers as written (`-0` kept), objects by kind only.
 *
 * @example describeValue('x'.repeat(1e7)) // '"xxxx…x"… (10000000 characters)'
 */
export function describeValue(value: unknown, max = QUOTE_LIMIT): string {
  switch (typeof value) {
    case 'string':
      return value.length <= max ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)`;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return clip(`${value}n`, max);
    case 'symbol':
      return clip(value.toString(), max);
    case 'function':
      return 'a function';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
    default:
      return String(value);
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
