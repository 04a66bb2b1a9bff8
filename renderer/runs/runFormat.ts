/** How run times read: "42 s", "3 min 5 s", "1 h 2 min" (units from the i18n table), and start times. */
import type { RunSummary } from '../../shared/runs/types.ts';
import { formatNumber } from '../format.ts';

/** Each unit written with its number: English "5 s", Korean "5초". */
export interface DurationUnits {
  s(n: number): string;
  min(n: number): string;
  h(n: number): string;
}

const PLAIN: DurationUnits = { s: (n) => `${n} s`, min: (n) => `${n} min`, h: (n) => `${n} h` };

export function formatDuration(ms: number, units: DurationUnits = PLAIN): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${units.h(h)} ${units.min(m)}`;
  if (m > 0) return `${units.min(m)} ${units.s(s)}`;
  return units.s(s);
}

/** How long the run took, or has taken until `now` while it goes on. */
export function runDurationMs(run: Pick<RunSummary, 'createdAt' | 'finishedAt'>, now: number): number {
  const start = Date.parse(run.createdAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0;
}

export function formatStart(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export const TERMINAL_RUN = new Set(['succeeded', 'failed', 'cancelled', 'error']);

export function isTerminal(run: Pick<RunSummary, 'phase'>): boolean {
  return TERMINAL_RUN.has(run.phase);
}

/** A metric value: at most six significant digits (3.0000000000000003e-4 reads 3e-4). */
export function formatMetric(value: number): string {
  return Number.isFinite(value) ? formatNumber(Number(value.toPrecision(6))) : String(value);
}
