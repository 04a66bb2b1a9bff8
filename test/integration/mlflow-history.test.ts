/**
 * The run panel's metrics of a finished run whose own metrics file is gone come back from the step's MLflow run
 * (runs/get, then metrics/get-history page by page) on the stand-in tracking server held to MLflow's REST definitions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMlflowMetricHistory } from '../../electron/services/mlflow/history.ts';
import { RunHistory } from '../../electron/services/runs/history.ts';
import { RunManager } from '../../electron/services/runs/manager.ts';
import { RUN_FORMAT } from '../../electron/services/runs/runFiles.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { startMlflowServer } from '../mlflow-server/index.ts';
import type { MlflowStandIn } from '../mlflow-server/index.ts';

let server: MlflowStandIn;
let mlflowRunId: string;
let dir: string;

async function call(endpoint: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/api/2.0/mlflow/${endpoint}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  server = await startMlflowServer();
  const { experiment_id } = await call('experiments/create', { name: 'korean-llm' });
  const { run } = (await call('runs/create', { experiment_id, run_name: 'r-sft-1', start_time: 1_767_000_000_000 })) as { run: { info: { run_id: string } } };
  mlflowRunId = run.info.run_id;
  const metrics = [];
  for (let step = 1; step <= 5; step++) {
    metrics.push({ key: 'loss', value: 3 - step * 0.4, timestamp: 1_767_000_000_000 + step * 1000, step });
    if (step % 2 === 0) metrics.push({ key: 'learning_rate', value: 1e-4 / step, timestamp: 1_767_000_000_000 + step * 1000, step });
  }
  await call('runs/log-batch', { run_id: mlflowRunId, metrics });
  dir = mkdtempSync(path.join(os.tmpdir(), 'pw-mlflow-history-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('metric history from MLflow', () => {
  it('reads every metric, page by page, merged per step', async () => {
    const records = await readMlflowMetricHistory({ trackingUri: `${server.url}/`, runId: mlflowRunId, pageSize: 2, env: {} });
    expect(records.map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    expect(records[1]).toEqual({ step: 2, ts: new Date(1_767_000_002_000).toISOString(), values: { loss: 2.2, learning_rate: 5e-5 } });
    expect(records[4].values).toEqual({ loss: 1 });
    // Paging was used: get-history asked more than once per key.
    const pages = server.requests.filter((r) => r.path === '/api/2.0/mlflow/metrics/get-history' && r.query.metric_key === 'loss');
    expect(pages.length).toBe(3);
  });

  it('names the server and the run when MLflow refuses', async () => {
    await expect(readMlflowMetricHistory({ trackingUri: server.url, runId: 'no-such-run', env: {} })).rejects.toThrow(new RegExp(`MLflow at ${server.url}: runs/get for run no-such-run: 404 RESOURCE_DOES_NOT_EXIST`));
    await expect(readMlflowMetricHistory({ trackingUri: 'file:///tmp/mlruns', runId: 'x' })).rejects.toThrow(/not an http\(s\) server/);
  });

  it("the run manager falls back to MLflow for a finished run's node without a metrics file", async () => {
    const history = new RunHistory(path.join(dir, 'runs'));
    const document = { version: 2, name: 'p', settings: { mlflowTrackingUri: server.url }, nodes: [], edges: [] } as unknown as PipelineDocument;
    await history.create({
      format: RUN_FORMAT, id: 'run-1', pipelineName: 'p', target: 'argo', phase: 'succeeded', createdAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T01:00:00.000Z',
      nodes: { sft: { phase: 'succeeded', mlflow: { runId: mlflowRunId } }, eval: { phase: 'succeeded' } }, document, compiled: {}, request: { target: 'argo' },
    });
    const manager = new RunManager({ runsDir: path.join(dir, 'runs'), drivers: [], tickMs: 20 });
    try {
      expect((await manager.readMetrics('run-1', 'sft')).map((r) => r.values.loss)).toEqual([1, 2, 3, 4, 5].map((s) => 3 - s * 0.4));
      expect(await manager.readMetrics('run-1', 'eval')).toEqual([]);
    } finally {
      await manager.close();
    }
  });
});
