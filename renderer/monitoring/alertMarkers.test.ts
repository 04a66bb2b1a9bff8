import { describe, expect, it } from 'vitest';
import { withMarkerSteps } from './alertMarkers.ts';

describe('withMarkerSteps', () => {
  const data = { steps: [1, 2, 4], series: [{ key: 'loss', values: [2.0, 1.9, 1.7] }] };

  it('puts a marker step the data lacks on the axis, with no value there', () => {
    expect(withMarkerSteps(data, [{ step: 5, label: 'Alert', kind: 'nonFiniteLoss' }, { step: 3, label: 'Alert', kind: 'lossSpike' }])).toEqual({
      steps: [1, 2, 3, 4, 5],
      series: [{ key: 'loss', values: [2.0, 1.9, null, 1.7, null] }],
    });
  });

  it('leaves the data as it is when every marker has its step', () => {
    expect(withMarkerSteps(data, [{ step: 2, label: 'Alert', kind: 'lossSpike' }])).toBe(data);
  });
});
