import { describe, expect, it } from 'vitest';
import { jsonEqual } from './equal.ts';

describe('jsonEqual', () => {
  it.each([
    ['same primitives', 1, 1, true],
    ['different primitives', 'a', 'b', false],
    ['number and its text', 1, '1', false],
    ['null and an object', null, {}, false],
    ['keys in another order', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    ['a key holding undefined counts as absent', { a: 1, b: undefined }, { a: 1 }, true],
    ['an extra key', { a: 1 }, { a: 1, b: 2 }, false],
    ['a nested difference', { a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'y' }] } }, false],
    ['arrays of another length', [1, 2], [1, 2, 3], false],
    ['an array and an object', [], {}, false],
  ])('%s', (_name, a, b, expected) => {
    expect(jsonEqual(a, b)).toBe(expected);
    expect(jsonEqual(b, a)).toBe(expected);
  });
});
