import { describe, expect, it } from 'vitest';
import { benchBars, percent, pointsDelta } from './benchBars.ts';

describe('benchBars', () => {
  it('makes one bar per benchmark accuracy, in the order the step reported them, with the base model\'s when present', () => {
    const metrics = {
      'kmmlu/acc': 0.41, 'kmmlu/acc_norm': 0.41, 'kmmlu/stem/acc': 0.35, 'kobest_boolq/acc': 0.7, 'kobest_boolq/f1': 0.66,
      'base/kmmlu/acc': 0.38, 'base/kmmlu/stem/acc': 0.3, 'delta/kmmlu/acc': 0.03, loss: 1.2, accuracy: 0.5,
    };
    expect(benchBars(metrics)).toEqual([
      { benchmark: 'kmmlu', acc: 0.41, base: 0.38 },
      { benchmark: 'kobest_boolq', acc: 0.7 },
    ]);
  });

  it('has nothing to draw for a step without benchmark scores', () => {
    expect(benchBars(undefined)).toBeUndefined();
    expect(benchBars({ loss: 2, accuracy: 0.4, 'base/kmmlu/acc': 0.3 })).toBeUndefined();
  });
});

describe('formatting', () => {
  it.each<[number, number, string]>([
    [0.412, 0.381, '+3.1'],
    [0.38, 0.384, '−0.4'],
    [0.5, 0.5, '±0.0'],
    [1, 0, '+100.0'],
  ])('%d against a base of %d is %s points', (acc, base, text) => {
    expect(pointsDelta(acc, base)).toBe(text);
  });

  it('shows a score as a percentage with one decimal', () => {
    expect([percent(0.4123), percent(1), percent(0)]).toEqual(['41.2', '100.0', '0.0']);
  });
});
