import { describe, expect, it } from 'vitest';
import type { Metric } from './analysis.ts';
import { assess, durationMs, evaluateCondition, measureMetric, newMetricResult, recordMeasurement, runOutcome } from './analysis.ts';

const at = { startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z' };

describe('Argo analysis semantics', () => {
  it.each([
    ['30s', 30_000], ['1h30m', 5_400_000], ['500ms', 500], [2, 2000], ['5', 5000],
  ] as const)('duration %s is %i ms', (text, ms) => expect(durationMs(text)).toBe(ms));

  it('refuses a malformed duration and an expression outside the subset', () => {
    expect(() => durationMs('10 minutes')).toThrow(/invalid duration "10 minutes"/);
    expect(() => evaluateCondition('result[0] >= 0.95 ; process.exit()', [1])).toThrow(/unsupported expression at " ; process.exit\(\)"/);
  });

  it('evaluates len, indexing, isNaN and and/or/not; an index past the end is an error', () => {
    expect(evaluateCondition('len(result) == 1 and result[0] >= 0.95', [0.97])).toBe(true);
    expect(evaluateCondition('not isNaN(result[0]) or result[0] < 0', [Number.NaN])).toBe(false);
    expect(() => evaluateCondition('result[0] >= 0.95', [])).toThrow(/index out of range: 0 \(array length is 0\)/);
  });

  it.each([
    [{ successCondition: 'result[0] >= 0.95' }, [0.9], 'Failed'],
    [{ failureCondition: 'result[0] < 0.5' }, [0.9], 'Successful'],
    [{ successCondition: 'result[0] >= 0.95', failureCondition: 'result[0] < 0.5' }, [0.7], 'Inconclusive'],
    [{ successCondition: 'result[0] >= 0.95', failureCondition: 'result[0] < 0.5' }, [0.4], 'Failed'],
    [{}, [0], 'Successful'],
  ] as const)('assess %j with %j: %s', (conditions, result, phase) => {
    expect(assess({ name: 'm', ...conditions }, [...result])).toBe(phase);
  });

  it('a provider error and an unevaluable condition are Error measurements', () => {
    const metric: Metric = { name: 'rate', successCondition: 'result[0] > 0', provider: { prometheus: { query: 'q', address: 'http://p' } } };
    expect(measureMetric(metric, () => new Error('connection refused'))).toEqual({ phase: 'Error', message: 'connection refused' });
    expect(measureMetric(metric, () => [])).toEqual({ phase: 'Error', value: '[]', message: 'index out of range: 0 (array length is 0)' });
    expect(measureMetric({ name: 'x' }, () => [1])).toMatchObject({ phase: 'Error', message: 'only the prometheus provider is emulated' });
  });

  it('settles a metric at its limits and the run at its worst metric', () => {
    const metric: Metric = { name: 'rate', failureLimit: 1, count: 3 };
    const r = newMetricResult('rate');
    recordMeasurement(r, metric, { phase: 'Failed', ...at });
    expect(r.phase).toBe('Running');
    recordMeasurement(r, metric, { phase: 'Failed', value: '[0.1]', ...at });
    expect(r).toMatchObject({ phase: 'Failed', failed: 2, count: 2, message: 'Metric "rate" assessed Failed due to failed (2) > failureLimit (1)' });
    const ok = newMetricResult('latency');
    for (let i = 0; i < 3; i++) recordMeasurement(ok, metric, { phase: 'Successful', ...at });
    expect(ok.phase).toBe('Successful');
    expect(runOutcome([ok, r])).toEqual({ phase: 'Failed', message: r.message });
    expect(runOutcome([ok, newMetricResult('pending')])).toBeUndefined();
  });

  it('consecutive errors past the limit make the metric Error; a good measurement resets the streak; ten measurements are kept', () => {
    const metric: Metric = { name: 'rate', consecutiveErrorLimit: 2 };
    const r = newMetricResult('rate');
    for (const phase of ['Error', 'Error', 'Successful', 'Error', 'Error']) recordMeasurement(r, metric, { phase, ...at });
    expect(r.phase).toBe('Running');
    recordMeasurement(r, metric, { phase: 'Error', ...at });
    expect(r).toMatchObject({ phase: 'Error', error: 5, consecutiveError: 3 });
    for (let i = 0; i < 12; i++) recordMeasurement(r, metric, { phase: 'Successful', ...at });
    expect(r.measurements).toHaveLength(10);
  });
});
