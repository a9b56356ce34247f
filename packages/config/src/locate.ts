/**
 * Finds where each key and value sits in a TOML text. smol-toml reports positions for syntax
 * errors only, so semantic errors (a bad value, an unknown key) are located here. The scanner
 * runs only on text smol-toml has accepted, so it may assume valid TOML; it understands
 * `[table]` and `[[array]]` headers, dotted and quoted keys, inline tables (also multi-line),
 * arrays, all four string forms and comments.
 */

/** 1-based position of a key and of its value. */
export interface KeyPosition {
  readonly line: number;
  readonly column: number;
  readonly valueLine: number;
  readonly valueColumn: number;
}

/** Key path (segments joined by `.`) → position of its first occurrence. */
export type KeyPositions = ReadonlyMap<string, KeyPosition>;

/** A-Z a-z 0-9 _ - (char codes: the scanner avoids a regex per character). */
function isBareKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** Ends a scalar value: , ] } # or whitespace. */
function endsScalar(c: number): boolean {
  return c === 44 || c === 93 || c === 125 || c === 35 || c === 32 || c === 9 || c === 10 || c === 13;
}

/** Scans `text` and returns the position of every table, key and value it defines. */
export function locateKeys(text: string): KeyPositions {
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text[k] === '\n') lineStarts.push(k + 1);
  const toPosition = (index: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - (lineStarts[lo] ?? 0) + 1 };
  };

  const positions = new Map<string, KeyPosition>();
  const record = (path: readonly string[], keyIndex: number, valueIndex: number): void => {
    const id = path.join('.');
    if (positions.has(id)) return;
    const key = toPosition(keyIndex);
    const value = toPosition(valueIndex);
    positions.set(id, { line: key.line, column: key.column, valueLine: value.line, valueColumn: value.column });
  };

  let i = 0;
  const skipSpaces = (): void => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  const skipBlank = (): void => {
    for (;;) {
      skipSpaces();
      if (text[i] === '#') while (i < text.length && text[i] !== '\n') i++;
      if (text[i] === '\n' || text[i] === '\r') i++;
      else return;
    }
  };
  const skipString = (): string => {
    const quote = text[i] ?? '"';
    const start = i;
    const triple = text.startsWith(quote.repeat(3), i);
    i += triple ? 3 : 1;
    while (i < text.length) {
      if (quote === '"' && text[i] === '\\') i += 2;
      else if (triple ? text.startsWith(quote.repeat(3), i) : text[i] === quote) {
        i += triple ? 3 : 1;
        if (triple) while (text[i] === quote && i - start < text.length) i++; // up to two quotes may end the content
        break;
      } else i++;
    }
    return text.slice(start, i);
  };
  const readSegment = (): string => {
    const c = text[i];
    if (c === '"' || c === "'") {
      const raw = skipString();
      if (c === "'") return raw.slice(1, -1);
      try {
        return String(JSON.parse(raw));
      } catch {
        return raw.slice(1, -1); // TOML-only escapes (\e, \UXXXXXXXX): close enough for lookup
      }
    }
    const start = i;
    while (i < text.length && isBareKeyChar(text.charCodeAt(i))) i++;
    return text.slice(start, i);
  };
  const readKey = (): string[] => {
    const segments = [readSegment()];
    skipSpaces();
    while (text[i] === '.') {
      i++;
      skipSpaces();
      segments.push(readSegment());
      skipSpaces();
    }
    return segments;
  };
  const skipValue = (path: readonly string[]): void => {
    const c = text[i];
    if (c === '"' || c === "'") skipString();
    else if (c === '[') {
      i++;
      for (let guard = i; i < text.length; guard = i) {
        skipBlank();
        if (text[i] === ']') return void i++;
        skipValue(path);
        skipBlank();
        if (text[i] === ',') i++;
        if (i === guard) i++;
      }
    } else if (c === '{') {
      i++;
      for (let guard = i; i < text.length; guard = i) {
        skipBlank();
        if (text[i] === '}') return void i++;
        readKeyValue(path);
        skipBlank();
        if (text[i] === ',') i++;
        if (i === guard) i++;
      }
    } else {
      while (i < text.length && !endsScalar(text.charCodeAt(i))) i++;
      // A date-time may be written with a space: 1979-05-27 07:32:00
      if (text[i] === ' ' && /^\d{4}-\d\d-\d\d$/.test(text.slice(i - 10, i)) && /\d/.test(text[i + 1] ?? '')) {
        i++;
        skipValue(path);
      }
    }
  };
  const readKeyValue = (base: readonly string[]): void => {
    const keyIndex = i;
    const segments = readKey();
    skipSpaces();
    if (text[i] === '=') i++;
    skipSpaces();
    const full = [...base, ...segments];
    for (let k = base.length + 1; k < full.length; k++) record(full.slice(0, k), keyIndex, keyIndex);
    record(full, keyIndex, i);
    skipValue(full);
  };

  let table: string[] = [];
  while (i < text.length) {
    skipBlank();
    if (i >= text.length) break;
    const start = i;
    if (text[i] === '[') {
      const array = text[i + 1] === '[';
      i += array ? 2 : 1;
      skipSpaces();
      table = readKey();
      for (let k = 1; k <= table.length; k++) record(table.slice(0, k), start, start);
      while (i < text.length && text[i] !== '\n') i++;
    } else {
      readKeyValue(table);
      skipSpaces();
      if (text[i] === '#') while (i < text.length && text[i] !== '\n') i++;
    }
    if (i === start) i++;
  }
  return positions;
}
