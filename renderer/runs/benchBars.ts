/**
 * The node card's bar chart of benchmark scores, from a node's last metric values: one bar per `<benchmark>/acc`
 * (the metric names of a benchmark step), with the base model's `base/<benchmark>/acc` when it was scored too.
 */

export interface BenchBar {
  benchmark: string;
  acc: number;
  /** The base model's accuracy, when the step scored it (its `baseline` option). */
  base?: number;
}

const BAR_KEY = /^([a-z0-9_]+)\/acc$/;

export function benchBars(metrics: Readonly<Record<string, number>> | undefined): BenchBar[] | undefined {
  if (!metrics) return undefined;
  const bars: BenchBar[] = [];
  for (const [key, acc] of Object.entries(metrics)) {
    const m = BAR_KEY.exec(key);
    if (!m || m[1] === 'base' || m[1] === 'delta' || !Number.isFinite(acc)) continue;
    const base = metrics[`base/${m[1]}/acc`];
    bars.push(Number.isFinite(base) ? { benchmark: m[1], acc, base } : { benchmark: m[1], acc });
  }
  return bars.length > 0 ? bars : undefined;
}

/** A score as a percentage with one decimal: 0.4123 -> "41.2". */
export const percent = (value: number): string => (value * 100).toFixed(1);

/** The change from the base model in percentage points, signed: "+3.1", "−0.4", "±0.0". */
export function pointsDelta(acc: number, base: number): string {
  const points = Math.round((acc - base) * 1000) / 10;
  if (points === 0) return '±0.0';
  return points > 0 ? `+${points.toFixed(1)}` : `−${Math.abs(points).toFixed(1)}`;
}
