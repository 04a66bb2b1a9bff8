import { describe, expect, it } from 'vitest';
import type { MetricRecord } from '../../shared/runs/types.ts';
import { chartData, chartsFor } from './metricCharts.ts';

const r = (step: number, values: Record<string, number>): MetricRecord => ({ step, values });

describe('chartData', () => {
  it('aligns series on sorted steps, with gaps as null', () => {
    const records = [r(10, { loss: 3, eval_loss: 3.5 }), r(5, { loss: 4 }), r(15, { loss: 2.5 })];
    expect(chartData(records, ['loss', 'train_loss', 'eval_loss'])).toEqual({
      steps: [5, 10, 15],
      series: [
        { key: 'loss', values: [4, 3, 2.5] },
        { key: 'eval_loss', values: [null, 3.5, null] },
      ],
    });
  });

  it('keeps the last value of a step logged twice and skips non-finite values', () => {
    expect(chartData([r(1, { loss: 5 }), r(1, { loss: 4 }), r(2, { loss: Number.NaN })], ['loss'])).toEqual({ steps: [1], series: [{ key: 'loss', values: [4] }] });
  });
});

describe('chartsFor', () => {
  it('a training node gets loss, learning rate and throughput charts', () => {
    const records = [r(5, { loss: 5.4, learning_rate: 0.003, tokens_per_second: 2000, epoch: 0.1 }), r(10, { loss: 4.1, learning_rate: 0.002, tokens_per_second: 2100, epoch: 0.2 })];
    expect(chartsFor(records).map((c) => c.spec.id)).toEqual(['loss', 'learning-rate', 'tokens-per-second']);
  });

  it('a single eval record makes no chart', () => {
    expect(chartsFor([r(20, { accuracy: 0.4, perplexity: 45 })])).toEqual([]);
  });

  it('a benchmark step gets one chart of every benchmark\'s running accuracy, base model included, and no category lines', () => {
    const records = [
      r(1, { 'kmmlu/acc': 0 }), r(2, { 'kmmlu/acc': 0.5 }), r(2, { 'kmmlu/acc': 0.5, 'kmmlu/stem/acc': 0.4, 'kmmlu/acc_norm': 0.5 }),
      r(1, { 'kobest_boolq/acc': 1 }), r(2, { 'kobest_boolq/acc': 0.5 }), r(1, { 'base/kmmlu/acc': 1 }), r(2, { 'base/kmmlu/acc': 0.5, 'delta/kmmlu/acc': 0 }),
    ];
    const charts = chartsFor(records);
    expect(charts.map((c) => c.spec.id)).toEqual(['benchmarks']);
    expect(charts[0].data).toEqual({
      steps: [1, 2],
      series: [
        { key: 'kmmlu/acc', values: [0, 0.5] },
        { key: 'kobest_boolq/acc', values: [1, 0.5] },
        { key: 'base/kmmlu/acc', values: [1, 0.5] },
      ],
    });
  });
});
