/** How values look on node cards and in fields. */
import type { ParamValue } from '../shared/pipeline/types.ts';

/** 0.00001 → "1e-5", 2 → "2", 0.1 → "0.1": short and exact enough for a card. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential().replace('e+', 'e');
  return String(value);
}

export function formatParamValue(value: ParamValue | undefined, yes: string, no: string): string {
  if (value === undefined) return '—';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? yes : no;
  if (Array.isArray(value)) return value.join(', ');
  return value;
}

/**
 * Parses what a user typed into a number field: decimals and scientific notation (1e-5, 2E-4).
 * Returns null for anything else (including empty text).
 */
export function parseNumberInput(text: string): number | null {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
