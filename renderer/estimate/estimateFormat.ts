/** Numbers of the estimate as the UI writes them: GiB, hours, GPU-hours, dollars, tokens. */
import type { NodeEstimate } from '../../shared/estimate/types.ts';
import type { DurationUnits } from '../runs/runFormat.ts';
import { formatDuration } from '../runs/runFormat.ts';

export const gib = (value: number): string => value.toFixed(1);

/** The values of the badge's hover text, or null when the node has no memory figure or product memory. */
export function fitFigures(n: NodeEstimate): { need: string; have: string; product: string; free: number } | null {
  if (n.gpuMemoryGiB === null || n.gpuProductMemoryGiB === null || !n.gpuProduct) return null;
  return { need: gib(n.gpuMemoryGiB), have: gib(n.gpuProductMemoryGiB), product: n.gpuProduct, free: Math.max(0, Math.round((1 - n.gpuMemoryGiB / n.gpuProductMemoryGiB) * 100)) };
}

/** Hours as `2 h 10 min` / `3 min 20 s` (minutes for anything over a minute). */
export function formatHours(hours: number, units: DurationUnits): string {
  return formatDuration(hours * 3_600_000, units);
}

export function formatGpuHours(gpuHours: number, lang: string): string {
  return gpuHours.toLocaleString(lang, { maximumFractionDigits: gpuHours < 10 ? 2 : 1 });
}

export function formatCost(usd: number, lang: string): string {
  return usd.toLocaleString(lang, { style: 'currency', currency: 'USD', maximumFractionDigits: usd < 100 ? 2 : 0 });
}

/** 65,536,000 → `65.5M` (en) / `6,550만` (ko). */
export function formatTokens(tokens: number, lang: string): string {
  return tokens.toLocaleString(lang, { notation: 'compact', maximumSignificantDigits: 3 });
}
