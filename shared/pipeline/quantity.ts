/**
 * Kubernetes resource quantities ("32", "500m", "1.5", "200Gi", "1e9"), parsed by the same rules as
 * k8s.io/apimachinery's ParseQuantity, plus the conversions the compilers need (KFP's numeric
 * `cpuLimit` in cores and `memoryLimit` in decimal GB). Surrounding whitespace is refused (ParseQuantity
 * itself refuses it; only JSON decoding trims).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** An exact quantity: sign × mantissa × 10^exp10 × 2^exp2. */
export interface Quantity {
  text: string;
  negative: boolean;
  mantissa: bigint;
  exp10: number;
  exp2: number;
  format: QuantityFormat;
}

export type QuantityResult = { ok: true; quantity: Quantity } | { ok: false; reason: string };

export class QuantityError extends Error {
  constructor(
    readonly text: string,
    readonly reason: string,
  ) {
    super(`"${text}" is not a Kubernetes quantity: ${reason}`);
    this.name = 'QuantityError';
  }
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = 'eEinumkKMGTP';
const MAX_INT64_FACTORS = 18;
const NANO = -9;
const MAX_BINARY = (1n << 63n) - 1n;
const HINT = 'write a number with an optional suffix, like 32, 500m, 1.5, 200Gi, 512Mi or 1e9';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function interpretSuffix(suffix: string): { format: QuantityFormat; base: 2 | 10; exponent: number } | undefined {
  if (suffix in DECIMAL_SUFFIXES) return { format: 'DecimalSI', base: 10, exponent: DECIMAL_SUFFIXES[suffix] };
  if (suffix in BINARY_SUFFIXES) return { format: 'BinarySI', base: 2, exponent: BINARY_SUFFIXES[suffix] };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    const parsed = BigInt(suffix.slice(1));
    if (parsed > 2n ** 63n - 1n || parsed < -(2n ** 63n)) return undefined;
    // Kubernetes keeps the exponent in an int32, wrapping larger ones.
    return { format: 'DecimalExponent', base: 10, exponent: Number(BigInt.asIntN(32, parsed)) };
  }
  return undefined;
}

/** Parses `text` exactly as Kubernetes' ParseQuantity does, including its odd corners ("1.", ".", "Gi"). */
export function parseQuantity(text: string): QuantityResult {
  if (typeof text !== 'string' || text.length === 0) return { ok: false, reason: `it is empty; ${HINT}` };
  let pos = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    pos++;
  }
  while (text[pos] === '0') pos++;
  const numStart = pos;
  while (isDigit(text[pos])) pos++;
  const num = text.slice(numStart, pos) || '0';
  let denom = '';
  if (text[pos] === '.') {
    const denomStart = ++pos;
    while (isDigit(text[pos])) pos++;
    denom = text.slice(denomStart, pos);
  }
  const valueText = text.slice(0, pos);
  const suffixStart = pos;
  while (pos < text.length && SUFFIX_CHARS.includes(text[pos])) pos++;
  if (text[pos] === '-' || text[pos] === '+') pos++;
  while (isDigit(text[pos])) pos++;
  if (pos < text.length) return { ok: false, reason: `unexpected "${text[pos]}" at position ${pos + 1}; ${HINT}` };
  const suffix = text.slice(suffixStart);
  if (suffix !== '' && !SUFFIX_CHARS.includes(suffix[0])) return { ok: false, reason: `unexpected "${suffix[0]}" at position ${suffixStart + 1}; ${HINT}` };
  const interpreted = interpretSuffix(suffix);
  if (!interpreted) return { ok: false, reason: `unknown suffix "${suffix}" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<exponent>)` };
  const { format, base, exponent } = interpreted;

  // Kubernetes falls back to arbitrary precision (which needs at least one digit) when the fast int64 path cannot hold the value.
  let precision: number;
  let scale = 0;
  if (base === 10) {
    scale = exponent;
    precision = MAX_INT64_FACTORS - (num.length + denom.length);
  } else {
    precision = denom.length === 0 ? 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 : -1;
  }
  const fastPath = precision >= 0 && scale - denom.length >= NANO;
  if (!fastPath && !/\d/.test(valueText)) return { ok: false, reason: `"${text}" has no digits; ${HINT}` };

  const mantissa = BigInt(num + denom);
  return {
    ok: true,
    quantity: {
      text,
      negative: negative && mantissa !== 0n,
      mantissa,
      exp10: (base === 10 ? exponent : 0) - denom.length,
      exp2: base === 2 ? exponent : 0,
      format,
    },
  };
}

export function isQuantity(value: unknown): value is string {
  return typeof value === 'string' && parseQuantity(value).ok;
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** ceil(q × 10^scale), like Kubernetes' ScaledValue (MilliValue is scale 3); ±Infinity when absurdly large. */
export function quantityScaledValue(q: Quantity, scale: number): number {
  if (q.mantissa === 0n) return 0;
  const e10 = q.exp10 + scale;
  if (e10 > 400) return q.negative ? -Infinity : Infinity;
  if (e10 < -400) return q.negative ? 0 : 1;
  let num = q.mantissa * (e10 > 0 ? pow10(e10) : 1n) * (q.exp2 > 0 ? 1n << BigInt(q.exp2) : 1n);
  const den = (e10 < 0 ? pow10(-e10) : 1n) * (q.exp2 < 0 ? 1n << BigInt(-q.exp2) : 1n);
  if (q.format === 'BinarySI') {
    const cap = MAX_BINARY * (scale > 0 ? pow10(scale) : 1n);
    if (num > cap * den) num = cap * den;
  }
  const whole = q.negative ? -(num / den) : (num + den - 1n) / den;
  return Number(whole);
}

/** The quantity as a plain number (not rounded; floating point). */
export function quantityToNumber(q: Quantity): number {
  const value = Number(`${q.mantissa}e${q.exp10}`) * 2 ** q.exp2;
  return q.negative ? -value : value;
}

function mustParse(text: string): Quantity {
  const result = parseQuantity(text);
  if (!result.ok) throw new QuantityError(text, result.reason);
  return result.quantity;
}

/** CPU in millicores, rounded up as Kubernetes does ("500m" → 500, "1.5" → 1500, "32" → 32000). */
export function cpuToMillicores(cpu: string): number {
  return quantityScaledValue(mustParse(cpu), 3);
}

/** CPU in cores, as KFP's numeric `cpuLimit` ("500m" → 0.5, "32" → 32). */
export function cpuToCores(cpu: string): number {
  return cpuToMillicores(cpu) / 1000;
}

/** Memory in bytes, rounded up ("1Gi" → 1073741824, "1G" → 1e9, "1e9" → 1e9). */
export function memoryToBytes(memory: string): number {
  return quantityScaledValue(mustParse(memory), 0);
}

/** Memory in decimal gigabytes, as KFP's numeric `memoryLimit` ("256Mi" → 0.268435456). */
export function memoryToGigabytes(memory: string): number {
  return memoryToBytes(memory) / 1e9;
}
