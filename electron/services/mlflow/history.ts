/**
 * A finished step's metric history read back from MLflow (REST API 2.0: runs/get for the metric keys, then
 * metrics/get-history per key, page by page), for a run whose own metrics file is gone. Credentials as MLflow's
 * clients take them: MLFLOW_TRACKING_TOKEN (bearer) or MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD.
 */
import type { MetricRecord } from '../../../shared/runs/types.ts';

export interface MlflowHistoryOptions {
  trackingUri: string;
  runId: string;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Metric values per page (default 10 000; MLflow's own maximum is 25 000). */
  pageSize?: number;
}

export class MlflowHistoryError extends Error {}

interface MlflowMetric {
  key: string;
  value: number | string;
  timestamp?: number | string;
  step?: number | string;
}

function authHeaders(env: NodeJS.ProcessEnv): Record<string, string> {
  if (env.MLFLOW_TRACKING_TOKEN) return { Authorization: `Bearer ${env.MLFLOW_TRACKING_TOKEN}` };
  if (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD) {
    return { Authorization: `Basic ${Buffer.from(`${env.MLFLOW_TRACKING_USERNAME}:${env.MLFLOW_TRACKING_PASSWORD}`).toString('base64')}` };
  }
  return {};
}

function numberOf(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : value === 'NaN' ? NaN : value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : Number(value);
  return Number.isNaN(n) && value !== 'NaN' && value !== 'nan' ? undefined : n;
}

/** Every metric of the MLflow run, merged into one record per step (oldest step first), as the app's own files hold them. */
export async function readMlflowMetricHistory(options: MlflowHistoryOptions): Promise<MetricRecord[]> {
  const doFetch = options.fetch ?? fetch;
  const base = options.trackingUri.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new MlflowHistoryError(`MLflow tracking URI ${options.trackingUri} is not an http(s) server: the history can only be read over its REST API`);
  const headers = { Accept: 'application/json', ...authHeaders(options.env ?? process.env) };
  const get = async (endpoint: string, query: Record<string, string>): Promise<Record<string, unknown>> => {
    const url = `${base}/api/2.0/mlflow/${endpoint}?${new URLSearchParams(query).toString()}`;
    let res: Response;
    try {
      res = await doFetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new MlflowHistoryError(`MLflow at ${base} did not answer ${endpoint}: ${(err as Error).message}`);
    }
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      throw new MlflowHistoryError(`MLflow at ${base} answered ${endpoint} with ${res.status} and no JSON`);
    }
    if (!res.ok) throw new MlflowHistoryError(`MLflow at ${base}: ${endpoint} for run ${options.runId}: ${res.status} ${String(body.error_code ?? '')} ${String(body.message ?? '')}`.trim());
    return body;
  };
  const run = (await get('runs/get', { run_id: options.runId })).run as { data?: { metrics?: MlflowMetric[] } } | undefined;
  const keys = [...new Set((run?.data?.metrics ?? []).map((m) => m.key))];
  const bySteps = new Map<number, MetricRecord>();
  for (const key of keys) {
    let token: string | undefined;
    do {
      const query: Record<string, string> = { run_id: options.runId, metric_key: key, max_results: String(options.pageSize ?? 10_000) };
      if (token) query.page_token = token;
      const page = await get('metrics/get-history', query);
      for (const m of (page.metrics as MlflowMetric[] | undefined) ?? []) {
        const value = numberOf(m.value);
        if (value === undefined) continue;
        const step = numberOf(m.step) ?? 0;
        let record = bySteps.get(step);
        if (!record) {
          record = { step, values: {} };
          const ts = numberOf(m.timestamp);
          if (ts !== undefined && Number.isFinite(ts)) record.ts = new Date(ts).toISOString();
          bySteps.set(step, record);
        }
        record.values[key] = value;
      }
      token = typeof page.next_page_token === 'string' && page.next_page_token ? page.next_page_token : undefined;
    } while (token);
  }
  return [...bySteps.values()].sort((a, b) => a.step - b.step);
}
