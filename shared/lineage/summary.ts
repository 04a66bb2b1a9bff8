/** How a lineage step reads in a line: its headline metrics, its training chain, short hashes (CLI and app alike). */
import type { LineageStep } from './types.ts';

export const shortHash = (sha256: string): string => `sha256:${sha256.slice(0, 12)}`;

/** At most `max` of the step's final metrics that say the most: accuracy and benchmark scores, else the loss. */
export function headlineMetrics(step: Pick<LineageStep, 'metrics'>, max = 3): [string, number][] {
  const metrics = Object.entries(step.metrics ?? {}).filter(([, v]) => Number.isFinite(v));
  const rank = (key: string): number => {
    if (key.startsWith('base/') || key.startsWith('delta/')) return 9;
    if (key === 'accuracy') return 0;
    if (/(^|\/)acc(_norm)?$|(^|\/)f1$/.test(key)) return 1;
    if (key === 'exact_match') return 2;
    if (key === 'final_loss') return 3;
    if (key === 'loss' || key === 'eval_loss') return 4;
    return 9;
  };
  const picked = metrics.filter(([k]) => rank(k) < 9).sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
  // A training step's final loss and its last loss say the same: keep one.
  const out = picked.some(([k]) => k === 'final_loss') ? picked.filter(([k]) => k !== 'loss') : picked;
  return out.slice(0, max);
}

export function formatMetricValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
}

/** `cpt+sft` */
export function trainingChainText(step: Pick<LineageStep, 'trainedBy'>): string | undefined {
  return step.trainedBy && step.trainedBy.length > 0 ? step.trainedBy.map((s) => s.type).join('+') : undefined;
}
