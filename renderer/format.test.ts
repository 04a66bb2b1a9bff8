import { describe, expect, it } from 'vitest';
import { formatNumber, formatParamValue, parseNumberInput } from './format.ts';

describe('number input', () => {
  it.each([
    ['1e-5', 1e-5],
    ['2E-4', 2e-4],
    ['0.00001', 1e-5],
    ['  3 ', 3],
    ['-2.5', -2.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['', null],
    ['1e-', null],
    ['abc', null],
    ['1,000', null],
    ['0x10', null],
    ['Infinity', null],
  ])('%j → %s', (text, expected) => {
    expect(parseNumberInput(text)).toBe(expected);
  });
});

describe('formatting', () => {
  it.each([
    [1e-5, '1e-5'],
    [2e-5, '2e-5'],
    [0.1, '0.1'],
    [2, '2'],
    [0.0005, '5e-4'],
    [1.5e-6, '1.5e-6'],
    [123456789, '123456789'],
    [0.30000000000000004, '0.30000000000000004'],
  ])('%s → %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it('every formatted number parses back', () => {
    for (const v of [1e-5, 3e-4, 0.1, 42, 0.05]) expect(parseNumberInput(formatNumber(v))).toBe(v);
  });

  it('formats parameter values for cards', () => {
    expect(formatParamValue(true, 'on', 'off')).toBe('on');
    expect(formatParamValue(['q_proj', 'v_proj'], 'on', 'off')).toBe('q_proj, v_proj');
    expect(formatParamValue(undefined, 'on', 'off')).toBe('—');
  });
});
