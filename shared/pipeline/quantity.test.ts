import { describe, expect, it } from 'vitest';
import {
  cpuToCores,
  cpuToMillicores,
  isQuantity,
  memoryToBytes,
  memoryToGigabytes,
  parseQuantity,
  QuantityError,
  quantityScaledValue,
  quantityToNumber,
} from './quantity.ts';

describe('parseQuantity accepts what Kubernetes accepts', () => {
  it.each([
    // [text, value in base units, format]
    ['32', 32, 'DecimalSI'],
    ['0', 0, 'DecimalSI'],
    ['500m', 0.5, 'DecimalSI'],
    ['1.5', 1.5, 'DecimalSI'],
    ['.5', 0.5, 'DecimalSI'],
    ['1.', 1, 'DecimalSI'],
    ['+2', 2, 'DecimalSI'],
    ['-1', -1, 'DecimalSI'],
    ['007', 7, 'DecimalSI'],
    ['100n', 1e-7, 'DecimalSI'],
    ['3u', 3e-6, 'DecimalSI'],
    ['2k', 2000, 'DecimalSI'],
    ['1G', 1e9, 'DecimalSI'],
    ['4T', 4e12, 'DecimalSI'],
    ['1P', 1e15, 'DecimalSI'],
    ['1E', 1e18, 'DecimalSI'],
    ['200Gi', 200 * 2 ** 30, 'BinarySI'],
    ['512Mi', 512 * 2 ** 20, 'BinarySI'],
    ['1Ki', 1024, 'BinarySI'],
    ['1.5Gi', 1.5 * 2 ** 30, 'BinarySI'],
    ['2Ti', 2 * 2 ** 40, 'BinarySI'],
    ['1Ei', 2 ** 60, 'BinarySI'],
    ['1e9', 1e9, 'DecimalExponent'],
    ['1E3', 1000, 'DecimalExponent'],
    ['1e+3', 1000, 'DecimalExponent'],
    ['25e-2', 0.25, 'DecimalExponent'],
    ['1.5e3', 1500, 'DecimalExponent'],
    // Corners ParseQuantity really accepts (they are zero).
    ['.', 0, 'DecimalSI'],
    ['+', 0, 'DecimalSI'],
    ['Gi', 0, 'BinarySI'],
    ['m', 0, 'DecimalSI'],
  ])('%s', (text, value, format) => {
    const result = parseQuantity(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(quantityToNumber(result.quantity)).toBeCloseTo(value, 12);
    expect(result.quantity.format).toBe(format);
    expect(isQuantity(text)).toBe(true);
  });
});

describe('parseQuantity refuses what Kubernetes refuses', () => {
  it.each([
    ['', /empty/],
    ['abc', /unexpected "a"/],
    ['1 Gi', /unexpected " "/],
    [' 1', /unexpected " "/],
    ['1Gi ', /unexpected " "/],
    ['1gi', /unexpected "g"/],
    ['1K', /unknown suffix "K"/],
    ['1ki', /unknown suffix "ki"/],
    ['1e', /unknown suffix "e"/],
    ['1e+', /unknown suffix "e\+"/],
    ['1e3.5', /unexpected "\."/],
    ['1m3', /unknown suffix "m3"/],
    ['1Mi3', /unknown suffix "Mi3"/],
    ['1.2.3', /unexpected "\."/],
    ['1,5', /unexpected ","/],
    ['--1', /unexpected "-"/],
    ['1GB', /unexpected "B"/],
    ['Pi', /no digits/],
    ['+e-12', /no digits/],
  ])('%j', (text, reason) => {
    const result = parseQuantity(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(reason);
    expect(isQuantity(text)).toBe(false);
  });

  it('refuses values that are not strings', () => {
    expect(isQuantity(32)).toBe(false);
    expect(isQuantity(undefined)).toBe(false);
  });
});

describe('conversions for the compilers', () => {
  it.each([
    ['32', 32000, 32],
    ['500m', 500, 0.5],
    ['1.5', 1500, 1.5],
    ['1000m', 1000, 1],
    ['0.1', 100, 0.1],
    ['1001u', 2, 0.002],
  ])('cpu %s = %d millicores = %d cores', (cpu, milli, cores) => {
    expect(cpuToMillicores(cpu)).toBe(milli);
    expect(cpuToCores(cpu)).toBe(cores);
  });

  it.each([
    ['256Mi', 268435456, 0.268435456],
    ['256Gi', 274877906944, 274.877906944],
    ['32Gi', 34359738368, 34.359738368],
    ['200Gi', 214748364800, 214.7483648],
    ['1G', 1e9, 1],
    ['1e9', 1e9, 1],
    ['1.5G', 1.5e9, 1.5],
    ['512M', 512e6, 0.512],
    ['500m', 1, 1e-9],
  ])('memory %s = %d bytes = %d GB', (memory, bytes, gb) => {
    expect(memoryToBytes(memory)).toBe(bytes);
    expect(memoryToGigabytes(memory)).toBe(gb);
  });

  it('rounds up like Kubernetes, also for negative values', () => {
    const q = (text: string) => {
      const r = parseQuantity(text);
      if (!r.ok) throw new Error(r.reason);
      return r.quantity;
    };
    expect(quantityScaledValue(q('1.0001'), 0)).toBe(2);
    expect(quantityScaledValue(q('-1.5'), 0)).toBe(-1);
    expect(quantityScaledValue(q('1e500'), 0)).toBe(Infinity);
    expect(quantityScaledValue(q('1e-500'), 0)).toBe(1);
    expect(quantityScaledValue(q('0'), 3)).toBe(0);
  });

  it('caps binary quantities at the int64 maximum as Kubernetes does', () => {
    const r = parseQuantity('99999999Ei');
    expect(r.ok).toBe(true);
    if (r.ok) expect(quantityScaledValue(r.quantity, 0)).toBe(Number((1n << 63n) - 1n));
  });

  it('throws a QuantityError naming the text for invalid input', () => {
    expect(() => cpuToCores('two')).toThrow(QuantityError);
    expect(() => memoryToBytes('1 GB')).toThrow(/"1 GB" is not a Kubernetes quantity/);
  });
});
