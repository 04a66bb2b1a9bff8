/** Which way is better for a metric, from its name: loss down, accuracy up; a learning rate or an epoch has no better way. */
import type { MetricGroup, Verdict } from './types.ts';

export type Direction = 'lower' | 'higher' | 'none';

const LOWER = /(^|[/_.-])(loss|perplexity|ppl|error|err|wer|cer|latency|duration|seconds|gpu_hours|memory|oom)$/;
const HIGHER = /(^|[/_.-])(acc|accuracy|acc_norm|exact_match|em|f1|bleu|rouge[a-z0-9_]*|score|precision|recall|auc|win_rate|pass_at_\d+|mc[12]|tokens_per_second|samples_per_second|steps_per_second|throughput)$/;
const BENCHMARK = /^(base\/|delta\/)?(kmmlu|kobest_[a-z]+|haerae|ko_?bench|mmlu)[/_]/;

export function metricDirection(key: string): Direction {
  const name = key.toLowerCase();
  if (/(^|[/_])(learning_rate|lr|epoch|step|grad_norm|total_flos)$/.test(name)) return 'none';
  if (LOWER.test(name)) return 'lower';
  if (HIGHER.test(name)) return 'higher';
  return 'none';
}

/** A benchmark score (ko-bench's `kmmlu/acc`, `base/...`, `delta/...`), an evaluation score, or a training value. */
export function metricGroup(nodeType: string | undefined, key: string): MetricGroup {
  if (nodeType === 'ko-bench' || BENCHMARK.test(key.toLowerCase())) return 'benchmark';
  if (nodeType === 'eval' || /^eval[_/]/.test(key)) return 'evaluation';
  return 'training';
}

/**
 * The verdict of a change from `a` to `b`. `tolerance` is relative: changes smaller than it are noise
 * (durations vary a few percent run to run; a metric's value is compared exactly).
 */
export function verdictOf(direction: Direction, a: number | undefined, b: number | undefined, tolerance = 0): Verdict {
  if (direction === 'none' || a === undefined || b === undefined) return 'neutral';
  if (Number.isNaN(a) || Number.isNaN(b)) {
    // A diverged (NaN) value is worse than any number, whichever the direction.
    if (Number.isNaN(a) && !Number.isNaN(b)) return 'improved';
    if (Number.isNaN(b) && !Number.isNaN(a)) return 'regressed';
    return 'neutral';
  }
  const diff = b - a;
  if (diff === 0 || Math.abs(diff) <= tolerance * Math.max(Math.abs(a), Math.abs(b))) return 'neutral';
  return (diff < 0) === (direction === 'lower') ? 'improved' : 'regressed';
}
