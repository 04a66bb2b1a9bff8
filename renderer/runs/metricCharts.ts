/** Which charts a node's metrics make, and their data as uPlot wants it (x = steps, one aligned array per series). */
import type { MetricRecord } from '../../shared/runs/types.ts';

export interface ChartSpec {
  id: string;
  /** i18n key under `runs.chart`. */
  titleKey: string;
  /** Metric names drawn on this chart, Trainer's spellings included. */
  keys: readonly string[];
  /** Also every metric whose name matches, in the order first logged (e.g. each benchmark's running accuracy). */
  match?: RegExp;
}

export const CHARTS: readonly ChartSpec[] = [
  { id: 'loss', titleKey: 'loss', keys: ['loss', 'train_loss', 'eval_loss'] },
  { id: 'learning-rate', titleKey: 'learningRate', keys: ['learning_rate'] },
  { id: 'tokens-per-second', titleKey: 'tokensPerSecond', keys: ['tokens_per_second', 'train_tokens_per_second'] },
  { id: 'accuracy', titleKey: 'accuracy', keys: ['accuracy', 'eval_accuracy'] },
  { id: 'perplexity', titleKey: 'perplexity', keys: ['perplexity', 'eval_perplexity'] },
  { id: 'benchmarks', titleKey: 'benchmarks', keys: [], match: /^(?:base\/)?[a-z0-9_]+\/acc$/ },
];

function keysOf(spec: ChartSpec, records: readonly MetricRecord[]): readonly string[] {
  if (!spec.match) return spec.keys;
  const found = new Set(spec.keys);
  for (const r of records) for (const key of Object.keys(r.values)) if (spec.match.test(key)) found.add(key);
  return [...found];
}

export interface ChartData {
  steps: number[];
  series: { key: string; values: (number | null)[] }[];
}

/** Steps ascending; a step logged twice keeps its last value; keys never logged are left out. */
export function chartData(records: readonly MetricRecord[], keys: readonly string[]): ChartData {
  const byStep = new Map<number, Record<string, number>>();
  const present = new Set<string>();
  for (const r of records) {
    for (const key of keys) {
      const v = r.values[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      present.add(key);
      let row = byStep.get(r.step);
      if (!row) byStep.set(r.step, (row = {}));
      row[key] = v;
    }
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const series = keys.filter((k) => present.has(k)).map((key) => ({ key, values: steps.map((s) => byStep.get(s)?.[key] ?? null) }));
  return { steps, series };
}

/** Charts worth drawing: at least two points (a single final value shows in the metrics table instead). */
export function chartsFor(records: readonly MetricRecord[]): { spec: ChartSpec; data: ChartData }[] {
  return CHARTS.map((spec) => ({ spec, data: chartData(records, keysOf(spec, records)) })).filter((c) => c.data.steps.length >= 2);
}
