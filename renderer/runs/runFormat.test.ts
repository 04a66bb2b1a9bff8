import { describe, expect, it } from 'vitest';
import { formatDuration, formatMetric, runDurationMs } from './runFormat.ts';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [42_400, '42 s'],
    [185_000, '3 min 5 s'],
    [3_720_000, '1 h 2 min'],
    [-5, '0 s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('takes the units of the language', () => {
    expect(formatDuration(185_000, { s: (n) => `${n}초`, min: (n) => `${n}분`, h: (n) => `${n}시간` })).toBe('3분 5초');
  });
});

describe('runDurationMs', () => {
  it('finished runs use their end, running ones the clock', () => {
    expect(runDurationMs({ createdAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:42Z' }, 0)).toBe(42_000);
    expect(runDurationMs({ createdAt: '2026-01-01T00:00:00Z' }, Date.parse('2026-01-01T00:01:00Z'))).toBe(60_000);
    expect(runDurationMs({ createdAt: 'garbage' }, 5)).toBe(0);
  });
});

describe('formatMetric', () => {
  it.each([
    [0.1 * 0.003, '3e-4'],
    [3.0000000000000003e-4, '3e-4'],
    [2.345678912, '2.34568'],
    [45.66, '45.66'],
    [Number.NaN, 'NaN'],
  ])('%d → %s', (v, text) => {
    expect(formatMetric(v)).toBe(text);
  });
});
