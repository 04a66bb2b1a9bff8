/**
 * Argo Rollouts' analysis, as its docs and AnalysisRun status define it, free of timers and the store:
 * durations, the expr-lang subset conditions use, one measurement's phase (both conditions set and neither
 * true: Inconclusive), and a metric's tally against failureLimit / inconclusiveLimit / consecutiveErrorLimit.
 */

/** What Prometheus answers a query: the vector's values (empty: no series), or an Error (the provider fails). */
export type PrometheusAnswer = (query: string, address: string) => number[] | Error;

export type Metric = {
  name: string; interval?: string; count?: number; failureLimit?: number; inconclusiveLimit?: number; consecutiveErrorLimit?: number;
  successCondition?: string; failureCondition?: string; provider?: { prometheus?: { address?: string; query?: string } };
};
export type MetricResult = {
  name: string; phase: string; count: number; successful: number; failed: number; inconclusive: number; error: number; consecutiveError: number;
  measurements: Array<Record<string, unknown>>; message?: string;
};
/** One measurement as it lands in metricResults[].measurements. */
export type Measurement = { phase: string; startedAt: string; finishedAt: string; value?: string; message?: string };

/** Argo/Go durations: 30s, 10m, 1h30m, 500ms; a number is seconds. In emulated ms. */
export function durationMs(value: unknown): number {
  if (typeof value === 'number') return value * 1000;
  const text = String(value ?? '');
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    end = re.lastIndex;
  }
  if (!text || end !== text.length) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return total;
}

const EXPR_TOKEN = /\s*(len|result|isNaN|isInf|and|or|not|&&|\|\||!=|==|>=|<=|[<>!()[\],]|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/y;

/** The subset of expr-lang Argo's conditions use (len, result[i], isNaN, isInf, comparisons, and/or/not), refusing anything else. */
export function evaluateCondition(expr: string, result: number[]): boolean {
  let js = '';
  EXPR_TOKEN.lastIndex = 0;
  while (EXPR_TOKEN.lastIndex < expr.length) {
    const at = EXPR_TOKEN.lastIndex;
    const m = EXPR_TOKEN.exec(expr);
    if (!m) {
      if (!expr.slice(at).trim()) break;
      throw new Error(`unsupported expression at ${JSON.stringify(expr.slice(at))}`);
    }
    js += { and: '&&', or: '||', not: '!', '==': '===', '!=': '!==' }[m[1]] ?? m[1];
    js += ' ';
  }
  const fn = new Function('len', 'result', 'isNaN', 'isInf', `"use strict"; return (${js});`) as (...a: unknown[]) => unknown;
  // expr-lang fails on an index past the end (the measurement is an Error), as `result[0]` on an empty vector does in Argo.
  const checked = new Proxy(result, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop) && Number(prop) >= target.length) throw new Error(`index out of range: ${prop} (array length is ${target.length})`);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const value = fn((a: unknown[]) => a.length, checked, Number.isNaN, (x: number) => !Number.isFinite(x) && !Number.isNaN(x));
  if (typeof value !== 'boolean') throw new Error(`expression ${JSON.stringify(expr)} did not give a boolean`);
  return value;
}

/** One measurement's phase as Argo's EvaluateResult assigns it. */
export function assess(metric: Metric, result: number[]): 'Successful' | 'Failed' | 'Inconclusive' {
  const success = metric.successCondition ? evaluateCondition(metric.successCondition, result) : undefined;
  const failure = metric.failureCondition ? evaluateCondition(metric.failureCondition, result) : undefined;
  if (success === undefined && failure === undefined) return 'Successful';
  if (success !== undefined && failure !== undefined) return failure ? 'Failed' : success ? 'Successful' : 'Inconclusive';
  if (failure !== undefined) return failure ? 'Failed' : 'Successful';
  return success ? 'Successful' : 'Failed';
}

export function newMetricResult(name: string): MetricResult {
  return { name, phase: 'Running', count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveError: 0, measurements: [] };
}

/** Asks the metric's provider and assesses the answer: Error when the provider fails or the condition cannot be evaluated. */
export function measureMetric(metric: Metric, prometheus: PrometheusAnswer): { phase: string; value?: string; message?: string } {
  const prom = metric.provider?.prometheus;
  const answer = prom ? prometheus(prom.query ?? '', prom.address ?? '') : new Error('only the prometheus provider is emulated');
  if (answer instanceof Error) return { phase: 'Error', message: answer.message };
  const value = `[${answer.join(' ')}]`;
  try {
    return { phase: assess(metric, answer), value };
  } catch (err) {
    return { phase: 'Error', value, message: (err as Error).message };
  }
}

/** Counts a measurement into its metric's result (keeping the last ten) and settles the metric's phase against its limits. */
export function recordMeasurement(r: MetricResult, metric: Metric, m: Measurement): void {
  r.measurements.push({ phase: m.phase, startedAt: m.startedAt, finishedAt: m.finishedAt, ...(m.value !== undefined ? { value: m.value } : {}), ...(m.message ? { message: m.message } : {}) });
  r.measurements = r.measurements.slice(-10);
  if (m.phase === 'Error') {
    r.error++;
    r.consecutiveError++;
  } else {
    r.count++;
    r.consecutiveError = 0;
    if (m.phase === 'Successful') r.successful++;
    else if (m.phase === 'Failed') r.failed++;
    else r.inconclusive++;
  }
  const failureLimit = metric.failureLimit ?? 0;
  const inconclusiveLimit = metric.inconclusiveLimit ?? 0;
  const errorLimit = metric.consecutiveErrorLimit ?? 4;
  if (r.failed > failureLimit) {
    r.phase = 'Failed';
    r.message = `Metric "${metric.name}" assessed Failed due to failed (${r.failed}) > failureLimit (${failureLimit})`;
  } else if (r.inconclusive > inconclusiveLimit) {
    r.phase = 'Inconclusive';
    r.message = `Metric "${metric.name}" assessed Inconclusive due to inconclusive (${r.inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`;
  } else if (r.consecutiveError > errorLimit) {
    r.phase = 'Error';
    r.message = `Metric "${metric.name}" assessed Error due to consecutiveErrors (${r.consecutiveError}) > consecutiveErrorLimit (${errorLimit})`;
  } else if (metric.count !== undefined && r.count >= metric.count) r.phase = 'Successful';
}

/** The run's phase once no metric is Running (the worst of Error, Failed, Inconclusive, else Successful) and the message it carries. */
export function runOutcome(results: MetricResult[]): { phase: string; message?: string } | undefined {
  if (results.some((m) => m.phase === 'Running')) return undefined;
  const worst = ['Error', 'Failed', 'Inconclusive'].find((p) => results.some((m) => m.phase === p));
  const message = results.find((m) => m.phase === worst)?.message;
  return { phase: worst ?? 'Successful', ...(message ? { message } : {}) };
}
