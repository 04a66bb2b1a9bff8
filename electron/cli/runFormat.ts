/** How the run commands print runs: durations, key metrics, tables. */
import type { RunAlert } from '../../shared/alerts/types.ts';
import type { NodeRunState, RunSummary } from '../../shared/runs/types.ts';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function durationOf(from: string | undefined, to: string | undefined, now = Date.now()): string {
  if (!from) return '';
  return formatDuration((to ? Date.parse(to) : now) - Date.parse(from));
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}

const PREFERRED = ['loss', 'eval_loss', 'train_loss', 'accuracy', 'perplexity', 'learning_rate', 'epoch'];

/** The few values worth a glance: loss and accuracy first, then whatever else, at most `max`. */
export function keyMetrics(values: Record<string, number> | undefined, max = 3): string {
  if (!values) return '';
  const names = Object.keys(values);
  const ordered = [...PREFERRED.filter((n) => names.includes(n)), ...names.filter((n) => !PREFERRED.includes(n))];
  return ordered
    .slice(0, max)
    .map((n) => `${n} ${formatNumber(values[n])}`)
    .join('  ');
}

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : (cell ?? '').padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

export function nodeSummaryRows(run: RunSummary): string[][] {
  return Object.entries(run.nodes).map(([id, node]: [string, NodeRunState]) => [
    id,
    node.phase,
    node.phase === 'cached' || node.phase === 'skipped' ? '' : durationOf(node.startedAt, node.finishedAt),
    keyMetrics(node.lastMetrics),
  ]);
}

export function nodeSummaryTable(run: RunSummary): string {
  return formatTable(['NODE', 'PHASE', 'DURATION', 'KEY METRICS'], nodeSummaryRows(run));
}

/** The alerts of a run, one line each: `ALERTS` then `  cpt  step 5  nonFiniteLoss  stopped the run: ...`. */
export function alertSummary(alerts: readonly RunAlert[]): string {
  const rows = alerts.map((a) => [a.nodeId, a.step === undefined ? '' : `step ${a.step}`, a.rule, a.action === 'cancel' ? 'stopped the run' : 'notified', a.message]);
  return `Alerts:\n${formatTable(['NODE', 'STEP', 'RULE', 'ACTION', 'WHAT'], rows).replace(/^/gm, '  ')}`;
}
