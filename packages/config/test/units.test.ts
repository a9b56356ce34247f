import { describe, expect, it } from 'vitest';
import { formatDuration, formatEndpoint, parseDuration, parseEndpoint, parseFrequency } from '../src/index.js';

describe('units', () => {
  it.each([
    ['60hz', 60],
    ['60 Hz', 60],
    ['60HZ', 60],
    ['60', 60],
    ['0.5hz', 0.5],
    ['1khz', 1000],
    ['1_000hz', 1000],
  ])('frequency %s = %d Hz', (text, hz) => expect(parseFrequency(text)).toBe(hz));

  it.each(['60fps', 'hz', '', 'sixty hz', '60 h z'])('frequency %j is not one', (text) => expect(parseFrequency(text)).toBeUndefined());

  it.each([
    ['250ms', 250],
    ['2s', 2000],
    ['1.5s', 1500],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['250 ms', 250],
  ])('duration %s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['250', '2 sec', 's', '-1s', '1d'])('duration %j is not one', (text) => expect(parseDuration(text)).toBeUndefined());

  it.each([
    [2000, '2s'],
    [250, '250ms'],
    [0, '0ms'],
    [90_000, '90s'],
    [120_000, '2m'],
    [7_200_000, '2h'],
  ])('formats %d ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    ['127.0.0.1:9090', { host: '127.0.0.1', port: 9090 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    ['metrics.internal:9100', { host: 'metrics.internal', port: 9100 }],
    ['[::1]:9090', { host: '::1', port: 9090 }],
  ])('endpoint %s', (text, endpoint) => {
    expect(parseEndpoint(text)).toEqual(endpoint);
    expect(formatEndpoint(endpoint)).toBe(text);
  });

  it.each(['9090', 'localhost', '1.2.3.4:65536', '::1:9090', '[zz]:1', 'a b:1', '1.2.3:80'])('endpoint %j is not one', (text) => expect(parseEndpoint(text)).toBeUndefined());
});
