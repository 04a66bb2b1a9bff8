import { describe, expect, it } from 'vitest';
import { parseWire, stringifyWire } from './wireJson.ts';

describe('wire JSON', () => {
  it('carries NaN and the infinities through, and leaves everything else as JSON does', () => {
    const value = { kind: 'metrics', records: [{ step: 3, values: { loss: NaN, grad_norm: Infinity, delta: -Infinity, lr: 1e-5 } }], note: { $number: 'text' }, list: [1, null, 'NaN'] };
    const text = stringifyWire(value);
    expect(text).not.toContain(':null,"grad');
    const back = parseWire(text) as typeof value;
    expect(back.records[0].values.loss).toBeNaN();
    expect(back.records[0].values.grad_norm).toBe(Infinity);
    expect(back.records[0].values.delta).toBe(-Infinity);
    expect(back.records[0].values.lr).toBe(1e-5);
    expect(back.note).toEqual({ $number: 'text' });
    expect(back.list).toEqual([1, null, 'NaN']);
  });
});
